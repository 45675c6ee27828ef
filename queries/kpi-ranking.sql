-- One KPI of one period across every city of the region list: highest first, cities without a
-- figure last (rank null). {{kpi}} is the KPI's column, a checked key put in by quoteIdent.
with figures as (
  select region_code, {{kpi}} as value
  from mart_kpis
  where period = $period::date and region_code <> 'ALL'
),

final as (
  select
    r.code as region_code,
    r.name_zh,
    r.name_en,
    f.value,
    if(f.value is null, null, rank() over (order by f.value desc nulls last)) as rank
  from regions r
  left join figures f on f.region_code = r.code
  order by f.value desc nulls last, r.code
)

select * from final
