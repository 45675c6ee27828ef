-- The `target` extract kind (extracts.md v2): the goals a region is judged against (考核目标), one row
-- per (region_code, period, kpi). The period is kept as written — '2026' (an annual target) or
-- '2026-09' (a monthly one) — because the two live side by side and a re-send replaces exactly the
-- (region_code, period) slices it carries: a region's annual targets and its monthly ones are
-- different slices. region_code is a code of the region list or 'ALL' (the province's own targets);
-- kpi is a key of the KPI catalogue; target is in the KPI's own unit (a rate as a fraction).

create table raw_target (
  load_id     bigint not null,
  line        bigint not null,
  region_code varchar not null,
  period      varchar not null,        -- 'YYYY' or 'YYYY-MM'
  kpi         varchar not null,
  target      decimal(24, 8) not null,
  weight      decimal(24, 8),
  extra       json
);

-- A target slice's period as written ('YYYY' or 'YYYY-MM'), which is what a re-send matches; `period`
-- holds its first day (January 1st for a year). Null for the data kinds, whose period is the month.
alter table load_slices add column period_text varchar;
