-- build: sharded
-- A shard's part of int_kpis_customers (../../../models/intermediate/int_kpis_customers.sql): a
-- customer's subscriptions and revenue rows are all on the shard of its customer_id, so a customer
-- is whole on one shard and the shards' counts add up (int_kpis_customers sums them). Customers and
-- their revenue meet by UNION ALL and GROUP BY (no full join: int_customer_rows); a customer billed in
-- a region where it holds no active subscription keeps its revenue. A customer is one row per region
-- (GROUP BY period, city, customer_id) and one row for ALL (GROUP BY period, customer_id), each
-- grouping straight from the rows: the same rows are read twice rather than regrouped.
--
-- What a customer has is one set of bits (macros.sql: subscription_bits), OR-ed over its rows: a
-- subscription row sets its service, its segment, its segment again as converged when it is, and
-- "has an active subscription"; a revenue row sets none. The same OR over the rows of the regions with
-- both a subscriber and a revenue slice (covered) says what is billed. Three aggregates per customer
-- rather than one per flag.
SELECT
  period,
  rc AS region_code,
  countIf(has_active(bits)) AS active_customers,
  countIf(has_active(bits) AND converged_segments_of(bits) <> 0) AS converged_customers,
  countIf(has_active(bits) AND bit_count(services_of(bits)) = 1) AS customers_1_play,
  countIf(has_active(bits) AND bit_count(services_of(bits)) = 2) AS customers_2_play,
  countIf(has_active(bits) AND bit_count(services_of(bits)) = 3) AS customers_3_play,
  countIf(has_active(bits) AND bit_count(services_of(bits)) = 4) AS customers_4_play,
  countIf(has_active(bits) AND bitAnd(segments_of(bits), segment_bit('personal')) <> 0) AS active_customers_personal,
  countIf(has_active(bits) AND bitAnd(converged_segments_of(bits), segment_bit('personal')) <> 0) AS converged_customers_personal,
  countIf(has_active(bits) AND bitAnd(segments_of(bits), segment_bit('household')) <> 0) AS active_customers_household,
  countIf(has_active(bits) AND bitAnd(converged_segments_of(bits), segment_bit('household')) <> 0) AS converged_customers_household,
  countIf(has_active(bits) AND bitAnd(segments_of(bits), segment_bit('enterprise')) <> 0) AS active_customers_enterprise,
  countIf(has_active(bits) AND bitAnd(converged_segments_of(bits), segment_bit('enterprise')) <> 0) AS converged_customers_enterprise,
  -- the same over the regions with both a subscriber and a revenue slice, with their revenue
  countIf(has_active(billed_bits)) AS billed_customers,
  countIf(has_active(billed_bits) AND converged_segments_of(billed_bits) <> 0) AS billed_converged_customers,
  countIf(has_active(billed_bits) AND converged_segments_of(billed_bits) = 0) AS billed_standalone_customers,
  sumIf(billed_revenue, has_active(billed_bits) AND converged_segments_of(billed_bits) <> 0) AS converged_revenue,
  sumIf(billed_revenue, has_active(billed_bits) AND converged_segments_of(billed_bits) = 0) AS standalone_revenue,
  countIf(has_active(billed_bits) AND bitAnd(segments_of(billed_bits), segment_bit('personal')) <> 0) AS billed_customers_personal,
  countIf(has_active(billed_bits) AND bitAnd(segments_of(billed_bits), segment_bit('household')) <> 0) AS billed_customers_household,
  countIf(has_active(billed_bits) AND bitAnd(segments_of(billed_bits), segment_bit('enterprise')) <> 0) AS billed_customers_enterprise
FROM (
  -- each region's customers
  SELECT period, city AS rc, customer_id,
    groupBitOr(row_bits) AS bits, groupBitOrIf(row_bits, covered) AS billed_bits, sumIf(net, covered) AS billed_revenue
  FROM int_customer_rows_local
  WHERE period IN {periods}
  GROUP BY period, city, customer_id
  UNION ALL
  -- the province's: a customer's rows of every region pooled
  SELECT period, 'ALL' AS rc, customer_id,
    groupBitOr(row_bits) AS bits, groupBitOrIf(row_bits, covered) AS billed_bits, sumIf(net, covered) AS billed_revenue
  FROM int_customer_rows_local
  WHERE period IN {periods}
  GROUP BY period, customer_id
)
GROUP BY period, rc
