// The audit log's table (migrations/004_audit.sql): appending entries, reading them back filtered,
// and removing those past the retention. Append-only by use: nothing in the project updates an entry,
// and only pruneAudit (the server's retention, at start and daily) deletes. The server records through
// server/audit.ts (buffered, on a connection of its own); the CLIs working on the file call appendAudit.
import type { AuditEvent, AuditStatus } from '../domain/audit.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from './db.ts';

/** An entry as recorded: an AuditEvent whose time is a Date (stored as Asia/Shanghai wall time). */
export type AuditEntry = Omit<AuditEvent, 'at'> & { at: Date };

export interface AuditFilter {
  user?: string;
  action?: string;
  /** Shanghai wall time 'YYYY-MM-DD HH:MM:SS': entries at or after it. */
  since?: string;
  limit: number;
}

/** Appends entries in one statement (parameters only: the texts are whatever users typed). */
export async function appendAudit(wh: Warehouse, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const params: (string | null)[] = [];
  const rows: string[] = [];
  for (const e of entries) {
    const base = params.length;
    rows.push(`($${base + 1}::timestamp, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`);
    params.push(shanghaiTimestamp(e.at), e.user, e.role, e.action, e.target, e.detail === null ? null : JSON.stringify(e.detail), e.status);
  }
  await wh.run(`insert into audit_log (at_time, user_name, role, action, target, detail, status) values ${rows.join(', ')}`, params);
}

/** The newest entries first, filtered. */
export async function queryAudit(wh: Warehouse, filter: AuditFilter): Promise<AuditEvent[]> {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  if (filter.user !== undefined) {
    where.push('user_name = $user');
    params.user = filter.user;
  }
  if (filter.action !== undefined) {
    where.push('action = $action');
    params.action = filter.action;
  }
  if (filter.since !== undefined) {
    where.push('at_time >= $since::timestamp');
    params.since = filter.since;
  }
  const rows = await wh.all<{ at: string; user: string | null; role: string | null; action: string; target: string | null; detail: string | null; status: AuditStatus }>(
    `select strftime(at_time, '%Y-%m-%d %H:%M:%S') as "at", user_name as "user", role, action, target, detail, status
     from audit_log ${where.length ? `where ${where.join(' and ')}` : ''}
     order by id desc limit $limit`,
    params,
  );
  return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>) }));
}

/** Removes the entries older than `days` days before `now`; returns how many went. */
export async function pruneAudit(wh: Warehouse, days: number, now: Date = new Date()): Promise<number> {
  const cutoff = shanghaiTimestamp(new Date(now.getTime() - days * 86_400_000));
  const row = await wh.one<{ n: bigint }>('select count(*) as n from audit_log where at_time < $c::timestamp', { c: cutoff });
  const n = Number(row?.n ?? 0);
  if (n > 0) await wh.run('delete from audit_log where at_time < $c::timestamp', { c: cutoff });
  return n;
}
