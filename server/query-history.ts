// Each analyst's console history, kept on the server (warehouse/saved-queries.ts): every /api/sql run
// and every export, with its rows, time and error. Recording never fails the query it records.
import { recordHistory, type HistoryEntry } from '../warehouse/saved-queries.ts';
import type { Principal } from './auth.ts';
import type { AppContext } from './context.ts';
import { HttpError } from './http-error.ts';

export async function recordRun(ctx: AppContext, who: Principal, entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<void> {
  try {
    await recordHistory(ctx.authDb, who.name, entry, ctx.now());
  } catch (err) {
    ctx.log.error(`query history: could not record ${who.name}'s ${entry.kind}: ${(err as Error).message}`);
  }
}

/** Runs `fn` and records it in the caller's history, its error (the message the analyst sees) included. */
export async function withHistory<T extends { rows: number; cancelled?: boolean }>(
  ctx: AppContext,
  who: Principal,
  what: { sql: string; kind: HistoryEntry['kind']; format: string },
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const out = await fn();
    await recordRun(ctx, who, { ...what, rows: out.rows, ms: performance.now() - started, error: out.cancelled ? 'cancelled / 已取消' : null });
    return out;
  } catch (err) {
    const message = err instanceof HttpError ? err.message : 'internal error';
    await recordRun(ctx, who, { ...what, rows: null, ms: performance.now() - started, error: message });
    throw err;
  }
}
