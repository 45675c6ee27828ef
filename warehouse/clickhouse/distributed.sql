-- The tables that span the cluster (schema via data-plane.ts, on every shard after raw.sql, with
-- {{cluster}} and {{database}} filled in as quoted identifiers). Reading `raw_<kind>` reads every
-- shard's `raw_<kind>_local`. A load inserts through `raw_<kind>_staging_all` with
-- insert_distributed_sync=1, so ClickHouse itself routes each row to its shard's staging table by the
-- same expression the reading table is sharded by (weights 1: murmurHash3_32(…) modulo the shard count,
-- in the order of the cluster's remote_servers).
CREATE TABLE IF NOT EXISTS raw_subscriber AS raw_subscriber_local
  ENGINE = Distributed({{cluster}}, {{database}}, raw_subscriber_local, murmurHash3_32(customer_id));
CREATE TABLE IF NOT EXISTS raw_complaint AS raw_complaint_local
  ENGINE = Distributed({{cluster}}, {{database}}, raw_complaint_local, murmurHash3_32(ifNull(customer_id, complaint_id)));
CREATE TABLE IF NOT EXISTS raw_revenue AS raw_revenue_local
  ENGINE = Distributed({{cluster}}, {{database}}, raw_revenue_local, murmurHash3_32(customer_id));

CREATE TABLE IF NOT EXISTS raw_subscriber_staging_all AS raw_subscriber_staging
  ENGINE = Distributed({{cluster}}, {{database}}, raw_subscriber_staging, murmurHash3_32(customer_id));
CREATE TABLE IF NOT EXISTS raw_complaint_staging_all AS raw_complaint_staging
  ENGINE = Distributed({{cluster}}, {{database}}, raw_complaint_staging, murmurHash3_32(ifNull(customer_id, complaint_id)));
CREATE TABLE IF NOT EXISTS raw_revenue_staging_all AS raw_revenue_staging
  ENGINE = Distributed({{cluster}}, {{database}}, raw_revenue_staging, murmurHash3_32(customer_id));
