-- Load history, slices, rejects, regions and the raw layer: one table per extract kind.
-- Raw rows carry their load_id and the spreadsheet line they came from; values are already typed
-- (ingest validated them); columns outside the contract are kept as JSON in `extra`.

create sequence load_id_seq start 1;

create table regions (
  code    varchar primary key,
  name_zh varchar not null,
  name_en varchar
);

create table loads (
  load_id       bigint primary key,
  file_name     varchar not null,
  sha256        varchar,
  kind          varchar,
  format        varchar,
  encoding      varchar,
  status        varchar not null,      -- running | loaded | refused | duplicate | crashed
  rows_total    bigint,
  rows_loaded   bigint,
  rows_rejected bigint,
  duplicate_of  bigint,
  message       varchar,
  started_at    timestamp not null,    -- Asia/Shanghai wall time
  finished_at   timestamp
);

create table load_slices (
  load_id            bigint not null,
  kind               varchar not null,
  region_code        varchar not null,
  period             date not null,
  rows               bigint not null,
  superseded_by_load bigint
);

create table rejects (
  load_id  bigint not null,
  line     bigint,
  "column" varchar,
  value    varchar,
  reason   varchar not null,
  message  varchar not null
);

create table raw_subscriber (
  load_id         bigint not null,
  line            bigint not null,
  period          date not null,
  subscription_id varchar not null,
  customer_id     varchar not null,
  segment         varchar not null,
  region_code     varchar not null,
  service         varchar not null,
  plan_code       varchar,
  bundle_id       varchar,
  channel_id      varchar,
  activated_on    date not null,
  terminated_on   date,
  extra           json
);

create table raw_channel (
  load_id      bigint not null,
  line         bigint not null,
  period       date not null,
  channel_id   varchar not null,
  channel_name varchar not null,
  channel_type varchar not null,
  region_code  varchar not null,
  exclusive    boolean,
  opened_on    date not null,
  closed_on    date,
  commission   decimal(18, 2),
  extra        json
);

create table raw_complaint (
  load_id      bigint not null,
  line         bigint not null,
  period       date not null,          -- month of received_at
  complaint_id varchar not null,
  received_at  timestamp not null,     -- Asia/Shanghai wall time
  region_code  varchar not null,
  customer_id  varchar,
  service      varchar,
  category     varchar not null,
  source       varchar not null,
  resolved_at  timestamp,
  sla_hours    integer,                -- as given; staging applies the default
  satisfaction varchar,
  repeat_of    varchar,
  extra        json
);

create table raw_revenue (
  load_id         bigint not null,
  line            bigint not null,
  period          date not null,
  subscription_id varchar not null,
  customer_id     varchar not null,
  region_code     varchar not null,
  service         varchar not null,
  item            varchar not null,
  amount          decimal(18, 2) not null,
  discount        decimal(18, 2) not null,
  extra           json
);
