-- Synthetic raw rows for the models benchmark, generated inside DuckDB so that 1M subscriptions ×
-- 12 months take seconds, not the minutes a CSV round trip through ingest would. Deterministic
-- (hash of ids). Months $m_from..$m_to (0-based from $start) are inserted straight into the raw
-- tables as ingest would leave them after loading one `<kind>_ALL_<YYYYMM>` file per kind and month
-- (load_id = month × 4 + kind), with those loads and their slices in loads and load_slices.
-- Statements are separated by a line holding only ';'.
--
-- Universe: subscription i. Ids below $n are the base (activated before $start); every month adds
-- 1.8% of $n more. Each lives a geometric number of months (1.5% monthly churn). Groups of three
-- ids (i // 3) are one household with one converged bundle (mobile, broadband, iptv) for 40% of
-- groups; otherwise each id is its own single-service customer.
create or replace temp table bench_universe as
with params as (
  select $n::bigint as n, $start::date as start, $months::integer as months,
         ($n * 0.018)::bigint as adds_per_month
),
ids as (
  select range as i from range(0, (select n + adds_per_month * months from params))
),
attrs as (
  select
    i,
    i // 3 as g,
    hash(i // 3, 'bundle') % 10 < 4 as grouped,
    case when i < n then -1 - (hash(i, 'age') % 60)::integer
         else ((i - n) // adds_per_month)::integer end as act_m,
    hash(i, 'life') % 1000000 / 1000000.0 as u,
    start,
    months
  from ids, params
),
final as (
  select
    i,
    act_m,
    greatest(act_m, 0) + floor(ln(1 - u) / ln(1 - 0.015))::integer as churn_m,
    case when grouped then 'K' || g end as bundle_id,
    case when grouped then 'C' || g else 'C' || g || '-' || (i % 3) end as customer_id,
    case when grouped then ['mobile', 'broadband', 'iptv'][(i % 3)::integer + 1]
         else case when hash(i, 'svc') % 100 < 75 then 'mobile'
                   when hash(i, 'svc') % 100 < 87 then 'broadband'
                   when hash(i, 'svc') % 100 < 95 then 'fixed_voice'
                   else 'iptv' end end as service,
    -- one bundle member in a hundred lives in another city: bundles spanning regions exist
    (case when grouped and i % 3 = 2 and hash(i, 'move') % 100 = 0 then hash(g + 1, 'region')
          else hash(g, 'region') end % 11)::integer as region_idx,
    case when hash(g, 'seg') % 20 < 12 then 'personal'
         when hash(g, 'seg') % 20 < 18 then 'household' else 'enterprise' end as segment,
    case when act_m < 0 then start - (hash(i, 'day') % 2000)::integer
         else (start + to_months(act_m))::date + (hash(i, 'day') % 28)::integer end as activated_on,
    start
  from attrs
)
select * from final
;
-- The months being inserted, the 11 cities numbered 0..10 in code order, and the subscriptions of
-- the universe alive in each of those months with their city: what the rows of every kind are made of.
create or replace temp table bench_months as
select range::integer as m from range($m_from::bigint, $m_to::bigint + 1)
;
create or replace temp table bench_regions as
select row_number() over (order by code)::integer - 1 as region_idx, code from regions where code like '33%'
;
create or replace temp view bench_alive as
select u.*, m.m, r.code
from bench_universe u
join bench_months m on u.act_m <= m.m and u.churn_m >= m.m
join bench_regions r using (region_idx)
;
insert into raw_subscriber
with final as (
  select
    (m * 4 + 1)::bigint as load_id,
    i + 2 as line,
    (start + to_months(m))::date as period,
    'S' || i as subscription_id,
    customer_id,
    segment,
    code as region_code,
    service,
    'P' || (hash(i, 'plan') % 40) as plan_code,
    bundle_id,
    case when hash(i, 'chn') % 100 < 3 then null
         else 'CH' || region_idx || '-' || (hash(i, 'chn') % 300) end as channel_id,
    activated_on,
    case when churn_m <= m
         then greatest(activated_on, (start + to_months(churn_m))::date + (hash(i, 'end') % 28)::integer)
    end as terminated_on,
    null::json as extra
  from bench_alive
  -- a few subscriptions are missing from one month's extract: the vanished_subscriptions signal
  where hash(i, m, 'gap') % 5000 <> 0
)
select * from final
;
insert into raw_channel
with outlets as (
  select range::integer as j from range(0, 300)
),
typed as (
  select
    r.region_idx, r.code, o.j, m.m,
    case when o.j < 20 then 'self_run_hall' when o.j < 60 then 'partner_full'
         when o.j < 160 then 'partner_store' when o.j < 270 then 'service_point'
         when o.j = 270 then 'online' when o.j = 271 then 'hotline' else 'account_manager' end as channel_type
  from bench_regions r, outlets o, bench_months m
),
final as (
  select
    (m * 4 + 2)::bigint as load_id,
    region_idx * 300 + j + 2 as line,
    ($start::date + to_months(m))::date as period,
    'CH' || region_idx || '-' || j as channel_id,
    'Outlet ' || region_idx || '-' || j as channel_name,
    channel_type,
    code as region_code,
    case when channel_type in ('partner_full', 'partner_store', 'service_point')
         then hash(region_idx, j, 'excl') % 2 = 0 end as exclusive,
    $start::date - (hash(region_idx, j, 'open') % 3000)::integer as opened_on,
    case when hash(region_idx, j, 'close') % 50 = 0
         then $start::date + (hash(region_idx, j, 'closeday') % 360)::integer end as closed_on,
    case when channel_type in ('partner_full', 'partner_store', 'service_point')
         then (hash(region_idx, j, m, 'comm') % 5000000 / 100.0)::decimal(18, 2)
         else 0::decimal(18, 2) end as commission,
    null::json as extra
  from typed
)
select * from final
;
insert into raw_complaint
with picked as (
  select *,
         (start + to_months(m))::timestamp + to_seconds((hash(i, m, 'recv') % (28 * 86400))::bigint) as received_at,
         hash(i, m, 'cplx') as h
  from bench_alive
  where hash(i, m, 'complain') % 250 = 0
),
final as (
  select
    (m * 4 + 3)::bigint as load_id,
    i + 2 as line,
    date_trunc('month', received_at)::date as period,
    'Q' || m || '-' || i as complaint_id,
    received_at,
    code as region_code,
    customer_id,
    service,
    ['billing', 'network', 'service_attitude', 'product', 'installation', 'other'][(h % 6)::integer + 1] as category,
    case when h % 100 < 60 then 'hotline' when h % 100 < 80 then 'hall' when h % 100 < 95 then 'online'
         when h % 100 < 97 then 'media' when h % 100 < 99 then 'regulator' else 'upper_company' end as source,
    case when h % 10 < 9 then received_at + to_seconds((h % 400000)::bigint) end as resolved_at,
    case when h % 10 < 7 then [24, 48, 72][(h % 3)::integer + 1] end::integer as sla_hours,
    case when h % 4 = 0 then null else ['satisfied', 'neutral', 'dissatisfied'][(h % 3)::integer + 1] end as satisfaction,
    case when h % 20 = 0 then 'Q' || (m - 1) || '-' || i end as repeat_of,
    null::json as extra
  from picked
)
select * from final
;
insert into raw_revenue
with items as (
  select * from (values
    ('mobile', 'rental'), ('mobile', 'data'), ('broadband', 'broadband_fee'),
    ('iptv', 'iptv_fee'), ('fixed_voice', 'rental')
  ) t(service, item)
),
final as (
  select
    (a.m * 4 + 4)::bigint as load_id,
    a.i * 2 + (it.item = 'data')::integer + 2 as line,
    (a.start + to_months(a.m))::date as period,
    'S' || a.i as subscription_id,
    a.customer_id,
    a.code as region_code,
    a.service,
    it.item,
    ((hash(a.i, a.m, it.item) % 15000) / 100.0 + 5)::decimal(18, 2) as amount,
    case when a.bundle_id is null then 0::decimal(18, 2)
         else ((hash(a.i, a.m, it.item) % 15000) / 1000.0)::decimal(18, 2) end as discount,
    null::json as extra
  from bench_alive a
  join items it using (service)
)
select * from final
;
-- The loads and their slices, as ingest records them (the models count a kind for a region and
-- month only where it has a slice): one load per kind and month, named `<kind>_ALL_<YYYYMM>.csv`, and
-- a slice per (region, month) of its rows; the complaint file, named for ALL, gives every region of
-- the list without a complaint an empty slice.
insert into load_slices (load_id, kind, region_code, period, rows, superseded_by_load)
with months as (
  select m, ($start::date + to_months(m))::date as period from bench_months
),
counted as (
  select load_id, 'subscriber' as kind, region_code, period, count(*) as n
  from raw_subscriber where period in (select period from months) group by all
  union all
  select load_id, 'channel', region_code, period, count(*)
  from raw_channel where period in (select period from months) group by all
  union all
  select load_id, 'revenue', region_code, period, count(*)
  from raw_revenue where period in (select period from months) group by all
),
complaints as (
  select (m.m * 4 + 3)::bigint as load_id, 'complaint' as kind, r.code as region_code, m.period, count(c.complaint_id) as n
  from months m
  cross join regions r
  left join raw_complaint c on c.period = m.period and c.region_code = r.code
  group by all
)
select load_id, kind, region_code, period, n, null from counted
union all
select load_id, kind, region_code, period, n, null from complaints
;
insert into loads (load_id, file_name, kind, status, rows_total, rows_loaded, rows_rejected, started_at, finished_at)
select
  load_id,
  kind || '_ALL_' || strftime(min(period), '%Y%m') || '.csv',
  kind,
  'loaded',
  sum(rows),
  sum(rows),
  0,
  now()::timestamp,
  now()::timestamp
from load_slices
where period in (select ($start::date + to_months(m))::date from bench_months)
group by load_id, kind
