-- Every KPI of one (period, region): the row of mart_kpis, whose columns are the keys.
SELECT *
FROM mart_kpis
WHERE period = toDate({period}) AND region_code = {region}
