// The audit log as the admin page reads it (GET /api/audit, server/routes/audit.ts). Read-only: the
// server has no route that changes an entry.
import { getJson } from './api.ts';

/** The actions the server records (server/audit.ts AUDIT_ACTIONS), in the filter's order. */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'sql',
  'sql_export',
  'briefing',
  'ingest',
  'sandbox_upload',
  'sandbox_delete',
  'user_add',
  'user_remove',
  'user_passwd',
  'password_upgrade',
  'alert_rule_add',
  'alert_rule_change',
  'alert_rule_remove',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** 'YYYY-MM-DD HH:MM:SS', Asia/Shanghai. */
  at: string;
  user: string | null;
  role: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  status: 'ok' | 'failed' | 'refused' | 'error';
}

export interface AuditFilter {
  user?: string;
  action?: string;
  /** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' (a datetime-local input's 'T' is accepted too). */
  since?: string;
  limit?: number;
}

export function auditQuery(filter: AuditFilter): string {
  const q = new URLSearchParams();
  if (filter.user?.trim()) q.set('user', filter.user.trim());
  if (filter.action) q.set('action', filter.action);
  if (filter.since) q.set('since', filter.since);
  if (filter.limit) q.set('limit', String(filter.limit));
  const s = q.toString();
  return `/api/audit${s ? `?${s}` : ''}`;
}

export async function fetchAudit(filter: AuditFilter): Promise<AuditEvent[]> {
  return (await getJson<{ events: AuditEvent[] }>(auditQuery(filter))).events;
}

/** A one-line summary of an entry's detail: the SQL text, rows and ms; the files and their fates; the address. */
export function detailText(e: AuditEvent): string {
  const d = e.detail;
  if (!d) return '';
  const parts: string[] = [];
  if (typeof d.sql === 'string') parts.push(d.sql);
  if (Array.isArray(d.files)) {
    parts.push((d.files as { file?: string; status?: string; rows_loaded?: number }[]).map((f) => `${f.file ?? '?'}: ${f.status ?? '?'}${f.rows_loaded !== undefined ? ` (${f.rows_loaded})` : ''}`).join(', '));
  }
  for (const key of ['address', 'region', 'period', 'format', 'rows', 'ms', 'via', 'error'] as const) {
    if (d[key] !== undefined && d[key] !== null) parts.push(`${key}=${String(d[key])}`);
  }
  return parts.join(' · ');
}
