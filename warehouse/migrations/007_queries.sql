-- The SQL console's saved queries (each analyst's own, some shared with every analyst) and the
-- server-side history of what each analyst ran or exported, so it follows them to another machine.
-- Both are private to the server: the console's SQL never reads them (server/sql-guard.ts).

create sequence saved_query_id_seq start 1;

create table saved_queries (
  id         bigint primary key default nextval('saved_query_id_seq'),
  owner      varchar not null,       -- users.name
  name       varchar not null,
  sql        varchar not null,
  shared     boolean not null,       -- every analyst (and admin) sees it; only its owner or an admin deletes it
  created_at timestamp not null      -- Asia/Shanghai wall time
);

create sequence query_history_id_seq start 1;

create table query_history (
  id        bigint primary key default nextval('query_history_id_seq'),
  user_name varchar not null,
  ran_at    timestamp not null,      -- Asia/Shanghai wall time, when the run or export ended
  sql       varchar not null,
  kind      varchar not null,        -- run | export
  format    varchar,                 -- arrow | json | csv | xlsx | parquet
  rows      bigint,                  -- rows sent; null when it failed
  ms        integer,
  error     varchar                  -- the message the analyst saw, null when it succeeded
);

create index query_history_user on query_history (user_name, id);
