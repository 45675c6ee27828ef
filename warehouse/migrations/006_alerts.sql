-- Alerts (预警, targets.md "Alerts"): the rules an admin sets, the alerts they fired per (rule, region,
-- month), and every try of every webhook delivery. Written by the server's alert service
-- (server/alerts.ts) on a connection of its own, one change at a time; read by GET /api/alerts.

create sequence alert_rule_id_seq start 1;
create sequence alert_id_seq start 1;

create table alert_rules (
  id          bigint primary key,
  name        varchar not null,
  kpi         varchar not null,      -- a key of domain/kpi-catalogue.ts
  scope       varchar not null,      -- ALL | a region code | each (every region separately)
  condition   json not null,         -- {"op","value"} | {"change_pct"} | {"status":"red"}
  deliveries  json not null,         -- [{"url","format"}], format json | wecom | dingtalk
  created_by  varchar not null,
  created_at  timestamp not null     -- Asia/Shanghai wall time
);

-- One row per firing: a (rule, region, period) has at most one row with status 'firing'; once resolved,
-- holding again fires a new row. The rule's name and KPI are copied so the history outlives the rule.
create table alerts (
  id           bigint primary key,
  rule_id      bigint not null,
  rule_name    varchar not null,
  kpi          varchar not null,
  region_code  varchar not null,     -- a region code or ALL
  period       date not null,        -- first day of the month
  -- The figure judged and the line it crossed (for change_pct the month-on-month change and its
  -- limit, for status red the attainment and 0.9). Exact decimals: money stays to the fen.
  value        decimal(38, 12),
  threshold    decimal(38, 12),
  status       varchar not null,     -- firing | resolved
  fired_at     timestamp not null,
  resolved_at  timestamp,
  acked_by     varchar,
  acked_at     timestamp
);

-- Every try of every webhook: the firing and the resolution are each delivered (event), up to 3 tries.
create table alert_deliveries (
  alert_id     bigint not null,
  event        varchar not null,     -- firing | resolved
  url          varchar not null,
  format       varchar not null,     -- json | wecom | dingtalk
  attempt      integer not null,     -- 1, 2, 3
  tried_at     timestamp not null,
  status_code  integer,              -- the receiver's HTTP status; null when there was none
  error        varchar               -- timeout, connection refused, …; null on a 2xx
);
