-- The KPIs computed per customer group, for one (period, region, segment).
SELECT *
FROM mart_kpis_segment
WHERE period = toDate({period}) AND region_code = {region} AND segment = {segment}
