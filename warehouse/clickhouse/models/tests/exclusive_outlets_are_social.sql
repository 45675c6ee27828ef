-- The exclusive outlets are open social outlets: never more than the open outlets of the three
-- social channel types (../../../models/tests/exclusive_outlets_are_social.sql). Null where the
-- region has no channel slice, which breaks nothing.
SELECT period, region_code, exclusive_outlets
FROM mart_kpis
WHERE period IN {periods}
  AND ifNull(exclusive_outlets > active_outlets_partner_full + active_outlets_partner_store + active_outlets_service_point, 0)
