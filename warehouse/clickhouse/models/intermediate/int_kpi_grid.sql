-- build: replicated
-- The (period, region) rows the marts hold and which extract kinds each has
-- (../../../models/intermediate/int_kpi_grid.sql). Built on every shard from its copy of the slices,
-- so every shard's models can read it locally. ALL's flags come from the same rows through the
-- region pair [region, 'ALL'] (a kind is present for ALL when any region has it).
SELECT
  g.period AS period,
  g.rc AS region_code,
  g.has_subscriber AS has_subscriber,
  g.has_revenue AS has_revenue,
  g.has_channel AS has_channel,
  g.has_complaint AS has_complaint,
  g.has_previous_subscriber AS has_previous_subscriber,
  ifNull(p.province_has_subscriber, 0) AS province_has_subscriber
FROM (
  SELECT
    period,
    arrayJoin([region_code, 'ALL']) AS rc,
    max(current = 1 AND kind = 'subscriber') AS has_subscriber,
    max(current = 1 AND kind = 'revenue') AS has_revenue,
    max(current = 1 AND kind = 'channel') AS has_channel,
    max(current = 1 AND kind = 'complaint') AS has_complaint,
    max(current = 0) AS has_previous_subscriber,
    max(current) AS has_current
  FROM (
    SELECT period, region_code, kind, 1 AS current FROM stg_slices WHERE period IN {periods}
    UNION ALL
    SELECT addMonths(slice_period, 1), region_code, kind, 0
    FROM (SELECT period AS slice_period, region_code, kind FROM stg_slices WHERE kind = 'subscriber' AND period IN {previous_periods})
  )
  GROUP BY period, rc
  HAVING has_current = 1
) AS g
ALL LEFT JOIN (
  SELECT period, max(kind = 'subscriber') AS province_has_subscriber
  FROM stg_slices
  WHERE period IN {periods}
  GROUP BY period
) AS p USING (period)
