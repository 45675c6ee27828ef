-- Revenue totals per (period, region incl. ALL), in DECIMAL.
with final as (
  select
    period,
    if(grouping(region_code) = 1, 'ALL', region_code::varchar) as region_code,
    sum(revenue)::decimal(18, 2) as revenue,
    sum(amount)::decimal(18, 2) as gross_amount,
    sum(discount)::decimal(18, 2) as discount,
    sum(orphan_rows)::bigint as orphan_revenue_rows
  from int_revenue
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
)

select * from final
