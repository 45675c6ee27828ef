-- Without CLICKHOUSE_CLUSTER the first URL is a single node: the reading names are plain views over
-- the local tables, so models and queries use the same names on one node and on a cluster.
CREATE VIEW IF NOT EXISTS raw_subscriber AS SELECT * FROM raw_subscriber_local;
CREATE VIEW IF NOT EXISTS raw_complaint AS SELECT * FROM raw_complaint_local;
CREATE VIEW IF NOT EXISTS raw_revenue AS SELECT * FROM raw_revenue_local;
