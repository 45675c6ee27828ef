-- State of the model runner (warehouse/models.ts). The staging views, intermediate tables and marts
-- themselves are created by the runner from warehouse/models/*.sql, not here, so that changing a
-- model needs no migration.

create sequence model_run_id_seq start 1;

-- One row per run: what the dashboard shows as freshness, what the server watches for changes.
create table model_runs (
  run_id       bigint primary key,
  -- Rises with every run that changed the marts; an error run keeps the version it found.
  data_version bigint not null,
  mode         varchar not null,      -- full | incremental
  status       varchar not null,      -- ok | tests_failed | error
  started_at   timestamp not null,    -- Asia/Shanghai wall time
  finished_at  timestamp not null,
  duration_ms  bigint not null,
  slices       json,                  -- the slices the caller said a load touched (null for a full run)
  periods      json,                  -- ["YYYY-MM", ...] rebuilt
  models       json,                  -- [{"name","materialized","rows","ms"}]
  tests_passed integer not null,
  tests_failed integer not null,
  failed_tests json,                  -- [{"name","model","failures"}]
  message      varchar
);

-- The model definitions the tables were last built from: a change forces a full rebuild.
create table model_state (
  model      varchar primary key,
  sql_hash   varchar not null,
  run_id     bigint not null
);

-- The enumerations of domain/contracts.ts, copied by the runner before each run so that the marts
-- can give every segment, service, channel type, category and source a row (0 rather than missing).
create table ref_enums (
  dimension varchar not null,
  code      varchar not null,
  label_zh  varchar not null,
  ordinal   integer not null,
  primary key (dimension, code)
);
