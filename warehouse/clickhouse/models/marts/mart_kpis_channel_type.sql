-- build: cluster
-- Sales and outlets per channel type: (period, region incl. ALL, channel_type), by the outlet's own
-- region (../../../models/marts/mart_kpis_channel_type.sql).
SELECT
  period, region_code, channel_type,
  gross_adds_ AS gross_adds,
  converged_adds_ AS converged_adds,
  ratio(converged_adds_, gross_adds_) AS converged_adds_share,
  outlets_ AS outlets,
  active_outlets_ AS active_outlets,
  ratio(gross_adds_, active_outlets_) AS adds_per_outlet,
  commission_ AS commission,
  money_div(commission_, gross_adds_) AS commission_per_add,
  exclusive_outlets_ AS exclusive_outlets,
  exclusive_adds_ AS exclusive_adds,
  -- exclusivity only exists for the social types
  if(channel_type IN ('partner_full', 'partner_store', 'service_point'), ratio(exclusive_adds_, gross_adds_), NULL) AS exclusive_adds_share
FROM (
  SELECT
    period, region_code, channel_type,
    if(has_channel AND province_has_subscriber, ifNull(gross_adds, 0), NULL) AS gross_adds_,
    if(has_channel AND province_has_subscriber, ifNull(converged_adds, 0), NULL) AS converged_adds_,
    if(has_channel AND province_has_subscriber, ifNull(exclusive_adds, 0), NULL) AS exclusive_adds_,
    if(has_channel, ifNull(outlets, 0), NULL) AS outlets_,
    if(has_channel, ifNull(active_outlets, 0), NULL) AS active_outlets_,
    if(has_channel, ifNull(exclusive_outlets, 0), NULL) AS exclusive_outlets_,
    if(has_channel, ifNull(commission, toDecimal128(0, 2)), NULL) AS commission_
  FROM (
    SELECT g.period AS period, g.region_code AS region_code, e.code AS channel_type,
      g.has_channel AS has_channel, g.province_has_subscriber AS province_has_subscriber
    FROM int_kpi_grid AS g
    CROSS JOIN (SELECT code FROM ref_enums WHERE dimension = 'channel_type') AS e
    WHERE g.period IN {periods}
  )
  ALL LEFT JOIN (
    SELECT period, region_code, channel_type, gross_adds, converged_adds, exclusive_adds, outlets, active_outlets, exclusive_outlets, commission
    FROM int_kpis_channels
    WHERE period IN {periods}
  ) USING (period, region_code, channel_type)
)
