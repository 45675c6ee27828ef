-- Helpers every model may call; the runner (re)creates them before each run.
-- Statements are separated by a line holding only ';'.

-- Money divided by a count, in DECIMAL all the way: DuckDB's decimal '/' returns DOUBLE, and money
-- KPIs must never pass through a float. Rounded to the fen (0.01 yuan), half away from zero.
-- Null when the denominator is 0 or null (kpis.md).
create or replace macro money_div(num, den) as
  case
    when num is null or den is null or den = 0 then null
    else ((sign(cast(num * 100 as hugeint))
           * ((abs(cast(num * 100 as hugeint)) * 2 + den) // (2 * den)))::decimal(38, 0) * 0.01)::decimal(18, 2)
  end
;
-- A plain fraction; null when the denominator is 0 or null.
create or replace macro ratio(num, den) as
  case when den is null or den = 0 then null else num::double / den end
;
-- The one bit of a service in a customer's set of active services.
create or replace macro service_bit(service) as
  case service when 'mobile' then 1 when 'fixed_voice' then 2 when 'broadband' then 4 when 'iptv' then 8 else 16 end
;
-- The one bit of a customer group in a customer's set of segments.
create or replace macro segment_bit(segment) as
  case segment when 'personal' then 1 when 'household' then 2 when 'enterprise' then 4 else 8 end
;
-- Twice a region's average subscriptions for ARPU (kpis.md): the active subscriptions at the end of
-- p and of p-1, or twice those of p when p-1 has no subscriber slice (previous is null). Kept doubled
-- so that it stays a whole number; the province's is the sum of its regions' own.
create or replace macro twice_average(active, previous) as
  active + coalesce(previous, active)
;
-- ARPU: revenue over the average subscriptions, given doubled (twice_average).
create or replace macro arpu(revenue, doubled_average) as
  money_div(revenue * 2, doubled_average)
