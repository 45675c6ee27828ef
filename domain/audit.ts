// The audit log's vocabulary, shared by the server that records and reads it and the admin page that
// shows it: the actions recorded, an entry's status, and an entry as GET /api/audit answers it.

/**
 * The actions recorded, in the admin page's filter order. A route that adds a kind of action adds
 * its name here (and the page its labels).
 */
export const AUDIT_ACTIONS = [
  'login', // detail {address}; status ok, failed (wrong name or password) or refused (the limiter's 429)
  'logout',
  'sql', // POST /api/sql: detail {sql, rows, ms, error?}; status ok, refused (the guard) or error
  'sql_export', // POST /api/sql/export: the same detail plus {format}
  'briefing', // a briefing downloaded: target 'REGION/YYYY-MM.fmt', detail {region, period, format, lang, bytes}
  'ingest', // POST /api/ingest or the landing folder: detail {files: [{file, kind, status, rows_loaded, rows_rejected, load_id}]}
  'sandbox_upload', // target the table; detail {file, rows, shared}
  'sandbox_delete',
  'user_add', // target the user; detail {role, region_code, via}
  'user_remove',
  'user_passwd',
  'password_upgrade', // a stored hash re-made at today's scrypt parameters at login
  'alert_rule_add', // the alert rules (target the rule's id or name; detail the rule)
  'alert_rule_change',
  'alert_rule_remove',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditStatus = 'ok' | 'failed' | 'refused' | 'error';

/** One entry as GET /api/audit answers it. */
export interface AuditEvent {
  /** 'YYYY-MM-DD HH:MM:SS', Asia/Shanghai. */
  at: string;
  user: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  status: AuditStatus;
}
