-- build: sharded
-- A shard's part of int_kpis_customers (../../../models/intermediate/int_kpis_customers.sql): a
-- customer's subscriptions and revenue rows are all on the shard of its customer_id, so a customer
-- is whole on one shard and the shards' counts add up (int_kpis_customers sums them). Customers and
-- their revenue meet by UNION ALL and GROUP BY (no full join), each row flagged by what it has and
-- whether its region has both a subscriber and a revenue slice (covered); a customer billed in a
-- region where it holds no active subscription keeps its revenue. A customer is one row per region
-- (GROUP BY period, city, customer_id) and one row for ALL (GROUP BY period, customer_id), each
-- grouping straight from the rows: the same rows are read twice rather than regrouped.
SELECT
  period,
  rc AS region_code,
  countIf(has_c) AS active_customers,
  countIf(has_c AND converged_segments <> 0) AS converged_customers,
  countIf(has_c AND bit_count(services) = 1) AS customers_1_play,
  countIf(has_c AND bit_count(services) = 2) AS customers_2_play,
  countIf(has_c AND bit_count(services) = 3) AS customers_3_play,
  countIf(has_c AND bit_count(services) = 4) AS customers_4_play,
  countIf(has_c AND bitAnd(segments, segment_bit('personal')) <> 0) AS active_customers_personal,
  countIf(has_c AND bitAnd(converged_segments, segment_bit('personal')) <> 0) AS converged_customers_personal,
  countIf(has_c AND bitAnd(segments, segment_bit('household')) <> 0) AS active_customers_household,
  countIf(has_c AND bitAnd(converged_segments, segment_bit('household')) <> 0) AS converged_customers_household,
  countIf(has_c AND bitAnd(segments, segment_bit('enterprise')) <> 0) AS active_customers_enterprise,
  countIf(has_c AND bitAnd(converged_segments, segment_bit('enterprise')) <> 0) AS converged_customers_enterprise,
  -- the same over the regions with both a subscriber and a revenue slice, with their revenue
  countIf(billed) AS billed_customers,
  countIf(billed AND billed_converged_segments <> 0) AS billed_converged_customers,
  countIf(billed AND billed_converged_segments = 0) AS billed_standalone_customers,
  sumIf(billed_revenue, billed AND billed_converged_segments <> 0) AS converged_revenue,
  sumIf(billed_revenue, billed AND billed_converged_segments = 0) AS standalone_revenue,
  countIf(billed AND bitAnd(billed_segments, segment_bit('personal')) <> 0) AS billed_customers_personal,
  countIf(billed AND bitAnd(billed_segments, segment_bit('household')) <> 0) AS billed_customers_household,
  countIf(billed AND bitAnd(billed_segments, segment_bit('enterprise')) <> 0) AS billed_customers_enterprise
FROM (
  -- each region's customers
  SELECT
    period,
    city AS rc,
    customer_id,
    max(has_sub) AS has_c,
    groupBitOr(service_bit_) AS services,
    groupBitOr(segment_bit_) AS segments,
    groupBitOr(converged_bit) AS converged_segments,
    max(has_sub AND covered) AS billed,
    groupBitOrIf(segment_bit_, has_sub AND covered) AS billed_segments,
    groupBitOrIf(converged_bit, has_sub AND covered) AS billed_converged_segments,
    sumIf(net, covered) AS billed_revenue
  FROM (
      SELECT period, city, customer_id, has_sub, service_bit_, segment_bit_, converged_bit, net, ifNull(g_covered, 0) AS covered
      FROM (
        SELECT period, region_code AS city, customer_id, toUInt8(1) AS has_sub,
          toUInt8(service_bit(service)) AS service_bit_, toUInt8(segment_bit(segment)) AS segment_bit_,
          toUInt8(if(is_converged, segment_bit(segment), 0)) AS converged_bit, toDecimal64(0, 2) AS net
        FROM int_subscriptions_local
        WHERE has({periods}, period) AND is_active
        UNION ALL
        SELECT period, region_code, customer_id, toUInt8(0), toUInt8(0), toUInt8(0), toUInt8(0), net_amount
        FROM stg_revenue_local
        WHERE has({periods}, period)
      )
      ALL LEFT JOIN (
        SELECT period, region_code AS city, toUInt8(1) AS g_covered
        FROM int_kpi_grid
        WHERE has({periods}, period) AND region_code <> 'ALL' AND has_subscriber AND has_revenue
      ) USING (period, city)
  )
  GROUP BY period, city, customer_id
  UNION ALL
  -- the province's: a customer's rows of every region pooled
  SELECT
    period,
    'ALL' AS rc,
    customer_id,
    max(has_sub) AS has_c,
    groupBitOr(service_bit_) AS services,
    groupBitOr(segment_bit_) AS segments,
    groupBitOr(converged_bit) AS converged_segments,
    max(has_sub AND covered) AS billed,
    groupBitOrIf(segment_bit_, has_sub AND covered) AS billed_segments,
    groupBitOrIf(converged_bit, has_sub AND covered) AS billed_converged_segments,
    sumIf(net, covered) AS billed_revenue
  FROM (
      SELECT period, city, customer_id, has_sub, service_bit_, segment_bit_, converged_bit, net, ifNull(g_covered, 0) AS covered
      FROM (
        SELECT period, region_code AS city, customer_id, toUInt8(1) AS has_sub,
          toUInt8(service_bit(service)) AS service_bit_, toUInt8(segment_bit(segment)) AS segment_bit_,
          toUInt8(if(is_converged, segment_bit(segment), 0)) AS converged_bit, toDecimal64(0, 2) AS net
        FROM int_subscriptions_local
        WHERE has({periods}, period) AND is_active
        UNION ALL
        SELECT period, region_code, customer_id, toUInt8(0), toUInt8(0), toUInt8(0), toUInt8(0), net_amount
        FROM stg_revenue_local
        WHERE has({periods}, period)
      )
      ALL LEFT JOIN (
        SELECT period, region_code AS city, toUInt8(1) AS g_covered
        FROM int_kpi_grid
        WHERE has({periods}, period) AND region_code <> 'ALL' AND has_subscriber AND has_revenue
      ) USING (period, city)
  )
  GROUP BY period, customer_id
)
GROUP BY period, rc
