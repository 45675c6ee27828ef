-- Complaints per category and per source add up to the complaints; per service they add up to the
-- complaints that name a service. Overdue open complaints are open, and open ones are complaints.
with by_dimension as (
  select
    period,
    region_code,
    sum(complaints) filter (where dimension = 'source') as by_source,
    sum(escalated_complaints) filter (where dimension = 'source') as escalated_by_source,
    sum(complaints) filter (where dimension = 'service') as by_service
  from mart_complaints_breakdown
  where list_contains($periods, period)
  group by period, region_code
),

without_service as (
  select period, if(grouping(region_code) = 1, 'ALL', region_code) as region_code, count_if(service is null) as complaints
  from stg_complaint
  where list_contains($periods, period)
  group by grouping sets ((period, region_code), (period))
),

final as (
  select k.period, k.region_code, k.complaints
  from mart_kpis k
  left join by_dimension d on d.period = k.period and d.region_code = k.region_code
  left join without_service w on w.period = k.period and w.region_code = k.region_code
  where list_contains($periods, k.period)
    and (k.complaints <> complaints_billing + complaints_network + complaints_service_attitude
           + complaints_product + complaints_installation + complaints_other
         or d.by_source is distinct from k.complaints
         or d.escalated_by_source is distinct from k.escalated_complaints
         or d.by_service + coalesce(w.complaints, 0) is distinct from k.complaints
         or k.overdue_open_complaints > k.open_complaints
         or k.open_complaints > k.complaints)
)

select * from final
