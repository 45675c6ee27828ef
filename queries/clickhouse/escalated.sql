-- The month's escalated complaints of one region, or of every region for 'ALL' (../../briefings/sql/
-- escalated.sql): oldest first, their state as of the month's end (stg_complaint), `total` counting
-- them all (18.16 has no window functions: a scalar subquery); the caller appends its LIMIT. The
-- time is Shanghai wall time whatever the server's zone (formatDateTime takes the zone).
SELECT
  complaint_id,
  formatDateTime(t, '%Y-%m-%d %H:%M:%S', 'Asia/Shanghai') AS received_at,
  region_code,
  category,
  source,
  status,
  (
    SELECT count()
    FROM stg_complaint
    WHERE is_escalated AND period = toDate({period}) AND ({region} = 'ALL' OR region_code = {region})
  ) AS total
FROM (
  SELECT
    complaint_id,
    received_at AS t,
    region_code,
    category,
    source,
    multiIf(is_resolved, 'resolved', is_overdue_open, 'overdue', 'open') AS status
  FROM stg_complaint
  WHERE is_escalated AND period = toDate({period}) AND ({region} = 'ALL' OR region_code = {region})
)
ORDER BY t, complaint_id
