// The SQL console's saved queries and each analyst's run history (migration 007). Plain reads and
// writes; who may see or delete what is decided by the server (server/routes/queries.ts).
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from './db.ts';

export interface SavedQuery {
  id: number;
  name: string;
  sql: string;
  owner: string;
  shared: boolean;
  /** YYYY-MM-DD HH:MM:SS, Asia/Shanghai. */
  created_at: string;
}

export interface HistoryEntry {
  id: number;
  at: string;
  sql: string;
  kind: 'run' | 'export';
  format: string | null;
  rows: number | null;
  ms: number | null;
  error: string | null;
}

/** Entries kept per user; older ones are dropped as new ones come. */
export const HISTORY_KEPT = 500;

const SAVED_COLUMNS = `id, name, sql, owner, shared, strftime(created_at, '%Y-%m-%d %H:%M:%S') as created_at`;

function savedRow(r: Record<string, unknown>): SavedQuery {
  return { id: Number(r.id), name: String(r.name), sql: String(r.sql), owner: String(r.owner), shared: Boolean(r.shared), created_at: String(r.created_at) };
}

/** The user's own queries and every shared one, newest first. */
export async function listSavedQueries(wh: Warehouse, user: string): Promise<SavedQuery[]> {
  const rows = await wh.all(`select ${SAVED_COLUMNS} from saved_queries where owner = $user or shared order by id desc`, { user });
  return rows.map(savedRow);
}

export async function getSavedQuery(wh: Warehouse, id: number): Promise<SavedQuery | null> {
  const row = await wh.one(`select ${SAVED_COLUMNS} from saved_queries where id = $id`, { id });
  return row ? savedRow(row) : null;
}

export async function saveQuery(wh: Warehouse, q: { owner: string; name: string; sql: string; shared: boolean }, now = new Date()): Promise<SavedQuery> {
  const row = await wh.one(
    `insert into saved_queries (owner, name, sql, shared, created_at) values ($owner, $name, $sql, $shared, $at::timestamp) returning ${SAVED_COLUMNS}`,
    { ...q, at: shanghaiTimestamp(now) },
  );
  return savedRow(row!);
}

export async function deleteSavedQuery(wh: Warehouse, id: number): Promise<void> {
  await wh.run('delete from saved_queries where id = $id', { id });
}

export async function recordHistory(wh: Warehouse, user: string, e: Omit<HistoryEntry, 'id' | 'at'>, now = new Date()): Promise<void> {
  await wh.run(
    `insert into query_history (user_name, ran_at, sql, kind, format, rows, ms, error) values ($user, $at::timestamp, $sql, $kind, $format, $rows, $ms, $error)`,
    { user, at: shanghaiTimestamp(now), sql: e.sql, kind: e.kind, format: e.format, rows: e.rows, ms: e.ms === null ? null : Math.round(e.ms), error: e.error },
  );
  await wh.run(
    `delete from query_history where user_name = $user and id <= (select id from query_history where user_name = $user order by id desc offset ${HISTORY_KEPT} limit 1)`,
    { user },
  );
}

/** What the user ran, newest first. */
export async function listHistory(wh: Warehouse, user: string, limit = 100): Promise<HistoryEntry[]> {
  const rows = await wh.all(
    `select id, strftime(ran_at, '%Y-%m-%d %H:%M:%S') as at, sql, kind, format, rows, ms, error from query_history where user_name = $user order by id desc limit ${Math.max(1, Math.floor(limit))}`,
    { user },
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: String(r.at),
    sql: String(r.sql),
    kind: r.kind as HistoryEntry['kind'],
    format: (r.format as string | null) ?? null,
    rows: r.rows === null ? null : Number(r.rows),
    ms: r.ms === null ? null : Number(r.ms),
    error: (r.error as string | null) ?? null,
  }));
}
