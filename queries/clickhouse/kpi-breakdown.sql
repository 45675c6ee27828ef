-- The figures of one (period, region) by one dimension: the rows of the dimension's breakdown mart
-- {{mart}} (a checked name); kpis.ts orders them by the contracts' codes, null where a code has none.
SELECT *
FROM {{mart}}
WHERE period = toDate({period}) AND region_code = {region}
