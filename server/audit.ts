// The audit log in the server: one small recording call any route makes (`audit(ctx, …)` or
// `ctx.audit.record(…)`), and the retention. Entries are buffered and appended in batches on a DuckDB
// connection of their own — never through the write queue, so a long load delays neither the entry
// nor the request, and recording never delays a load. A failed write is logged; it never fails the
// request that was recorded. The table: warehouse/migrations/004_audit.sql; reading it: routes/audit.ts.
import type { Warehouse } from '../warehouse/db.ts';
import type { AuditAction, AuditStatus } from '../domain/audit.ts';
import { type AuditEntry, appendAudit, pruneAudit } from '../warehouse/audit.ts';
import type { Principal } from './auth.ts';
import type { Logger } from './ingest-service.ts';
import { HttpError } from './http-error.ts';
import { SqlRefused } from './sql-guard.ts';

/** Who did it: a principal, or for a login the name as typed (and the role, once known). */
export type Actor = Pick<Principal, 'name' | 'role'> | { name: string | null; role: string | null } | null;

export interface AuditRecord {
  action: AuditAction;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  status?: AuditStatus;
}

/** How long the entries are kept, AUDIT_RETENTION_DAYS (server/settings.ts), and how often the server prunes. */
const DAY_MS = 86_400_000;
const FLUSH_ROWS = 200;

export class AuditLog {
  private buffer: AuditEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  /** `db` is a connection of its own (a fork of the writer's database). */
  constructor(
    private readonly db: Warehouse,
    private readonly retentionDays: number,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  /** Prunes now and then once a day. */
  async start(): Promise<void> {
    await this.prune();
    this.timer = setInterval(() => void this.prune(), DAY_MS);
    this.timer.unref();
  }

  /** Records one entry; returns at once (the append follows shortly). Never throws. */
  record(who: Actor, entry: AuditRecord): void {
    if (this.closed) return;
    try {
      this.buffer.push({
        at: this.now(),
        user: who?.name ?? null,
        role: who?.role ?? null,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? null,
        status: entry.status ?? 'ok',
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    } catch (err) {
      this.log.error(`audit: could not record ${entry.action}: ${(err as Error).message}`);
    }
  }

  /**
   * Runs `fn` and records it with how long it took and how it ended: ok, refused (the SQL guard's
   * refusal, a 403 or 429), failed (401: a wrong password) or error; `result` adds what the answer says (rows). Errors go on
   * to the caller unchanged.
   */
  async timed<T>(who: Actor, entry: AuditRecord, fn: () => Promise<T>, result?: (value: T) => Record<string, unknown>): Promise<T> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const value = await fn();
      this.record(who, { ...entry, status: entry.status ?? 'ok', detail: { ...entry.detail, ...(result ? result(value) : {}), ms: ms() } });
      return value;
    } catch (err) {
      const status = err instanceof SqlRefused || (err instanceof HttpError && (err.status === 403 || err.status === 429)) ? 'refused' : err instanceof HttpError && err.status === 401 ? 'failed' : 'error';
      this.record(who, { ...entry, status, detail: { ...entry.detail, ms: ms(), error: (err as Error)?.message ?? String(err) } });
      throw err;
    }
  }

  /** Appends what is buffered; resolves when everything recorded so far is in the table (or failed). */
  flush(): Promise<void> {
    this.scheduled = false;
    const next = this.flushing.then(async () => {
      while (this.buffer.length) {
        const batch = this.buffer.splice(0, FLUSH_ROWS);
        try {
          await appendAudit(this.db, batch);
        } catch (err) {
          this.log.error(`audit: ${batch.length} entr${batch.length === 1 ? 'y' : 'ies'} not written (${batch.map((e) => e.action).join(', ')}): ${(err as Error).message}`);
        }
      }
    });
    this.flushing = next;
    return next;
  }

  /** Removes the entries older than the retention; the only deletion there is. Logged, never thrown. */
  async prune(): Promise<number> {
    await this.flush();
    const run = this.flushing.then(() => pruneAudit(this.db, this.retentionDays, this.now()));
    this.flushing = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      const n = await run;
      if (n > 0) this.log.info(`audit: ${n} entr${n === 1 ? 'y' : 'ies'} older than ${this.retentionDays} days removed`);
      return n;
    } catch (err) {
      this.log.error(`audit: retention failed: ${(err as Error).message}`);
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }
}

/** The one call a route makes: records `entry` as done by `who`. */
export function audit(ctx: { audit: AuditLog }, who: Actor, entry: AuditRecord): void {
  ctx.audit.record(who, entry);
}
