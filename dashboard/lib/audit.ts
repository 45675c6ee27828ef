// The audit log as the admin page reads it (GET /api/audit, server/routes/audit.ts). Read-only: the
// server has no route that changes an entry.
import type { AuditEvent } from '../../domain/audit.ts';
import { getJson } from './api.ts';

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
