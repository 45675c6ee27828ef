-- The raw layer on every shard of the ClickHouse engine: one MergeTree table per extract kind, with
-- the columns and types of DuckDB's raw layer (warehouse/migrations/001_core.sql), partitioned by
-- (month, region) so a load swaps each slice in with ALTER TABLE … REPLACE PARTITION, and a staging
-- table of the same structure that the load fills first (warehouse/clickhouse/load.ts).
--
-- Revenue, subscriber and complaint rows are spread over the shards by murmurHash3_32 of the
-- customer (the complaint's own id when it names none): `raw_<kind>_local` holds a shard's part and
-- `raw_<kind>` (distributed.sql) reads all of them. Channel rows are few and every shard holds all of
-- them in `raw_channel`, so a join to channels stays on the shard.
--
-- Types: DECIMAL(18,2) → Decimal(18, 2) (money, exact); DuckDB timestamps (Asia/Shanghai wall time)
-- → DateTime('Asia/Shanghai'), whatever the server's own zone; a column DuckDB allows null in is
-- Nullable here and only there; boolean → UInt8; json → String. The database is the session's
-- (CLICKHOUSE_DATABASE); schema.ts runs this file on each shard's URL (no ON CLUSTER without ZooKeeper).

CREATE TABLE IF NOT EXISTS raw_subscriber_local (
  load_id         Int64,
  line            Int64,
  period          Date,
  subscription_id String,
  customer_id     String,
  segment         String,
  region_code     String,
  service         String,
  plan_code       Nullable(String),
  bundle_id       Nullable(String),
  channel_id      Nullable(String),
  activated_on    Date,
  terminated_on   Nullable(Date),
  extra           Nullable(String)
) ENGINE = MergeTree()
PARTITION BY (toYYYYMM(period), region_code)
ORDER BY (region_code, period, customer_id, subscription_id);

CREATE TABLE IF NOT EXISTS raw_channel (
  load_id      Int64,
  line         Int64,
  period       Date,
  channel_id   String,
  channel_name String,
  channel_type String,
  region_code  String,
  exclusive    Nullable(UInt8),
  opened_on    Date,
  closed_on    Nullable(Date),
  commission   Nullable(Decimal(18, 2)),
  extra        Nullable(String)
) ENGINE = MergeTree()
PARTITION BY (toYYYYMM(period), region_code)
ORDER BY (region_code, period, channel_id);

CREATE TABLE IF NOT EXISTS raw_complaint_local (
  load_id      Int64,
  line         Int64,
  period       Date,
  complaint_id String,
  received_at  DateTime('Asia/Shanghai'),
  region_code  String,
  customer_id  Nullable(String),
  service      Nullable(String),
  category     String,
  source       String,
  resolved_at  Nullable(DateTime('Asia/Shanghai')),
  sla_hours    Nullable(Int32),
  satisfaction Nullable(String),
  repeat_of    Nullable(String),
  extra        Nullable(String)
) ENGINE = MergeTree()
PARTITION BY (toYYYYMM(period), region_code)
ORDER BY (region_code, period, complaint_id);

CREATE TABLE IF NOT EXISTS raw_revenue_local (
  load_id         Int64,
  line            Int64,
  period          Date,
  subscription_id String,
  customer_id     String,
  region_code     String,
  service         String,
  item            String,
  amount          Decimal(18, 2),
  discount        Decimal(18, 2),
  extra           Nullable(String)
) ENGINE = MergeTree()
PARTITION BY (toYYYYMM(period), region_code)
ORDER BY (region_code, period, customer_id, subscription_id);

-- Staging: the same structure and partition key (REPLACE PARTITION requires both), filled by a load
-- and emptied after its swap (dropped and created again: load.ts, emptyStaging).
CREATE TABLE IF NOT EXISTS raw_subscriber_staging AS raw_subscriber_local;
CREATE TABLE IF NOT EXISTS raw_channel_staging AS raw_channel;
CREATE TABLE IF NOT EXISTS raw_complaint_staging AS raw_complaint_local;
CREATE TABLE IF NOT EXISTS raw_revenue_staging AS raw_revenue_local;
