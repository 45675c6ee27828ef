-- The slices that count (extracts.md v2, "Empty and missing slices"): one row per (kind, region,
-- period) whose load is current, i.e. a load_slices row no later load has superseded. An empty slice
-- (rows = 0: a file named for one region and month without data rows, or a region of a province
-- complaint file without rows) is present: its figures are 0. A (kind, region, period) without a
-- row here is missing, and every figure computed from that kind is null there (int_kpi_grid).
-- Only the four data kinds the KPIs are computed from.
with source as (
  select * from load_slices
),

final as (
  select kind, region_code, period, rows, load_id
  from source
  where superseded_by_load is null and kind in ('subscriber', 'revenue', 'channel', 'complaint')
)

select * from final
