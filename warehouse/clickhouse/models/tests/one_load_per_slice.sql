-- Ingest's slice rule: a load replaces the (region, period) slices it covers, so the rows of a slice
-- of any kind come from one load, and that is the load load_slices records as the slice's current
-- one (stg_slices). Two loads in one slice would be counted twice, and rows without a current slice
-- would be counted where the figures call the kind missing: the staging views trust this rule rather
-- than filter every row, and this test holds ingest to it (../../../models/tests/one_load_per_slice.sql).
-- The rows are read over every shard (a slice's rows lie on several); a slice with no current one
-- has a null current_load (join_use_nulls), which breaks the rule. The staging rows of subscribers,
-- revenue and channels are their raw rows, same region, month and load: read from the raw tables,
-- whose months are partitions, rather than through the views (18.16 pushes no WHERE into a view, so
-- each shard would make staging rows of every month first).
SELECT kind, region_code, period, first_load, last_load, current_load
FROM (
  SELECT kind, region_code, period, min(load_id) AS first_load, max(load_id) AS last_load
  FROM (
    SELECT 'subscriber' AS kind, region_code, period, load_id FROM raw_subscriber WHERE period IN {periods}
    UNION ALL
    SELECT 'revenue' AS kind, region_code, period, load_id FROM raw_revenue WHERE period IN {periods}
    UNION ALL
    SELECT 'channel' AS kind, region_code, period, load_id FROM raw_channel WHERE period IN {periods}
    UNION ALL
    SELECT 'complaint' AS kind, region_code, period, load_id FROM stg_complaint WHERE period IN {periods}
  )
  GROUP BY kind, region_code, period
)
ALL LEFT JOIN (
  SELECT kind, region_code, period, load_id AS current_load
  FROM stg_slices
  WHERE period IN {periods}
) USING (kind, region_code, period)
WHERE first_load <> last_load OR isNull(current_load) OR ifNull(current_load <> first_load, 0)
