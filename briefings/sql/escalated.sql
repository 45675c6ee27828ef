-- The month's escalated complaints (越级投诉: media, regulator, upper company) of one region, or of
-- every region for 'ALL', oldest first, with their state as of the month's end as the KPIs judge it
-- (stg_complaint: resolved by then, else open, overdue when past its deadline); `total` counts them
-- all, the rows stop at $limit.
with escalated as (
  select
    complaint_id,
    received_at,
    region_code,
    category,
    source,
    case when is_resolved then 'resolved' when is_overdue_open then 'overdue' else 'open' end as status
  from stg_complaint
  where is_escalated
    and period = $period::date
    and ($region = 'ALL' or region_code = $region)
),

final as (
  select
    complaint_id,
    strftime(received_at, '%Y-%m-%d %H:%M:%S') as received_at,
    region_code,
    category,
    source,
    status,
    count(*) over () as total
  from escalated
)

select * from final order by received_at, complaint_id limit $limit
