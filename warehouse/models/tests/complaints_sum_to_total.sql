-- Complaints per category and per source add up to the complaints.
with by_source as (
  select period, region_code, sum(complaints) as complaints, sum(escalated_complaints) as escalated
  from mart_complaints_breakdown
  where list_contains($periods, period) and dimension = 'source'
  group by period, region_code
),

final as (
  select k.period, k.region_code, k.complaints
  from mart_kpis k
  left join by_source s on s.period = k.period and s.region_code = k.region_code
  where list_contains($periods, k.period)
    and (k.complaints <> complaints_billing + complaints_network + complaints_service_attitude
           + complaints_product + complaints_installation + complaints_other
         or s.complaints is distinct from k.complaints
         or s.escalated is distinct from k.escalated_complaints)
)

select * from final
