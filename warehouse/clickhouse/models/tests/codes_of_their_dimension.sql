-- The tables that hold several dimensions, a row's in `dimension` and its code in `code`, hold only
-- codes of the row's own dimension: what accepted_values checks of a column of one dimension
-- (../../../models/tests/codes_of_their_dimension.sql). 18.16 has no anti join: a pair not IN the
-- enumerations' pairs.
SELECT dimension, code
FROM (
  SELECT DISTINCT dimension, code FROM int_kpis_complaints WHERE period IN {periods} AND dimension <> 'total'
  UNION ALL
  SELECT DISTINCT dimension, code FROM int_kpis_segment_service WHERE period IN {periods}
  UNION ALL
  SELECT DISTINCT dimension, code FROM mart_complaints_breakdown WHERE period IN {periods}
)
WHERE (dimension, code) NOT IN (SELECT dimension, code FROM ref_enums)
