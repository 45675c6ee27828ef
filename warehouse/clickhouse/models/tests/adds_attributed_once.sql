-- Every gross add of the province is sold by exactly one channel type or is unattributed, when every
-- region with a subscriber slice has a channel slice (the adds of a region whose channel extract is
-- missing are in neither). A city's outlets may sell to other cities' subscriptions (kpis.md v2), so
-- a city's sum differs by its cross-city sales; the cities' adds per channel type add up to the
-- province's instead, and so does their commission (../../../models/tests/adds_attributed_once.sql).
-- The cities' sum and ALL's figure of a type are null when no row of theirs has one (sumIf and maxIf
-- give 0 there), and two nulls are equal; a comparison with null breaks nothing.
SELECT period, 'ALL' AS code
FROM mart_kpis
WHERE period IN {periods} AND region_code = 'ALL'
  AND period NOT IN (
    SELECT period FROM int_kpi_grid
    WHERE period IN {periods} AND region_code <> 'ALL' AND has_subscriber AND NOT has_channel
  )
  AND ifNull(gross_adds <> gross_adds_self_run_hall + gross_adds_partner_full + gross_adds_partner_store
      + gross_adds_service_point + gross_adds_online + gross_adds_hotline + gross_adds_account_manager
      + unattributed_adds, 0)
UNION ALL
SELECT period, channel_type AS code
FROM (
  SELECT
    period, channel_type,
    if(countIf(region_code <> 'ALL' AND isNotNull(gross_adds)) = 0, NULL, sumIf(gross_adds, region_code <> 'ALL')) AS cities_adds,
    if(countIf(region_code = 'ALL' AND isNotNull(gross_adds)) = 0, NULL, maxIf(gross_adds, region_code = 'ALL')) AS province_adds,
    if(countIf(region_code <> 'ALL' AND isNotNull(commission)) = 0, NULL, sumIf(commission, region_code <> 'ALL')) AS cities_commission,
    if(countIf(region_code = 'ALL' AND isNotNull(commission)) = 0, NULL, maxIf(commission, region_code = 'ALL')) AS province_commission
  FROM mart_kpis_channel_type
  WHERE period IN {periods}
  GROUP BY period, channel_type
)
WHERE (isNull(cities_adds) <> isNull(province_adds)) OR ifNull(cities_adds <> province_adds, 0)
   OR (isNull(cities_commission) <> isNull(province_commission)) OR ifNull(cities_commission <> province_commission, 0)
