-- The audit log (GET /api/audit, admins only): who logged in (and who failed to), who ran which SQL,
-- downloaded which briefing, loaded which files, uploaded to the sandbox, changed users or alert
-- rules. Append-only: the server inserts rows and removes those older than AUDIT_RETENTION_DAYS, and
-- nothing else changes it — no route updates or deletes, and the SQL console cannot read it
-- (server/sql-guard.ts PRIVATE_TABLES).
create sequence audit_log_id;

create table audit_log (
  id        bigint not null default nextval('audit_log_id'),
  at_time   timestamp not null,   -- Asia/Shanghai wall time ("at" in GET /api/audit)
  user_name varchar,              -- as typed for a login; 'cli' for the command-line tools' token
  role      varchar,              -- the role at the time; null for a failed login
  action    varchar not null,     -- server/audit.ts AUDIT_ACTIONS
  target    varchar,              -- what it was done to: a table, a briefing, a user, a rule
  detail    varchar,              -- JSON object: the SQL text, rows, ms, files and their fates, the address
  status    varchar not null      -- ok | failed | refused | error
);
