// Everything a request handler may use, built once per server from injected parts (warehouse,
// settings, clock): the writer and its queue, connection pools for reads and ad-hoc SQL, sessions,
// the KPI cache, the event hub, the worker threads of loads and sandbox uploads.
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { normalizeSettings } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import type { ModelRunResult } from '../warehouse/models.ts';
import { listRegions } from '../warehouse/regions.ts';
import { WorkerPool } from '../workers/pool.ts';
import { AlertService } from './alerts.ts';
import { AuditLog } from './audit.ts';
import { LoginLimiter, type Principal, Sessions, identify } from './auth.ts';
import { EventHub } from './events.ts';
import { IngestService, type Logger } from './ingest-service.ts';
import { KpiCache } from './kpi-cache.ts';
import { ConnectionPool } from './connection-pool.ts';
import type { ServerSettings } from './settings.ts';
import { SqlRunner } from './sql-run.ts';
import { WriteQueue } from './write-queue.ts';

/** Renders a monthly briefing, Chinese unless `lang` says 'en'; supplied by briefings/ (the route answers 501 without one). */
export type BriefingRenderer = (wh: Warehouse, region: string, period: string, format: 'pdf' | 'xlsx', lang?: 'zh' | 'en') => Promise<Uint8Array>;

export interface ServerDeps {
  /** The warehouse, already open; its main connection becomes the one writer. */
  warehouse: Warehouse;
  settings: ServerSettings;
  clock?: { now(): Date };
  logger?: Logger;
  briefings?: BriefingRenderer;
  /** Called after each model run a load started (briefings pre-generate the month's on it). */
  onModels?: (run: ModelRunResult, ctx: AppContext) => void;
  /** The token CLIs use (the server file's); random when absent. */
  token?: string;
  /**
   * The threads that transcode GBK and unpack XLSX for loads and sandbox uploads, their owner's to
   * close; without them the context starts one thread of its own and stops it on close.
   */
  workers?: WorkerPool;
}

export interface AppContext {
  settings: ServerSettings;
  writer: Warehouse;
  queue: WriteQueue;
  readers: ConnectionPool<Warehouse>;
  sql: ConnectionPool<SqlRunner>;
  /** A connection of its own for logins and sessions. */
  authDb: Warehouse;
  sessions: Sessions;
  limiter: LoginLimiter;
  /** The audit log (server/audit.ts): record() from any route; appended on a connection of its own. */
  audit: AuditLog;
  events: EventHub;
  cache: KpiCache;
  ingest: IngestService;
  /** Alert rules, their evaluation after every model run, the alerts and their webhooks. */
  alerts: AlertService;
  /** The dashboard's address for links in messages: PUBLIC_URL, else the server's own once it listens. */
  baseUrl: string;
  /** The worker threads of loads and sandbox uploads (GBK transcoding, XLSX unpacking). */
  workers: WorkerPool;
  /** Codes of the region list (parameter validation). */
  regions: Set<string>;
  token: string;
  now: () => Date;
  log: Logger;
  briefings: BriefingRenderer | null;
  identify(req: Request): Principal | null;
  refreshRegions(): Promise<void>;
  close(): Promise<void>;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  error: (m) => console.error(m),
};

export async function createContext(deps: ServerDeps): Promise<AppContext> {
  const { warehouse: writer, settings } = deps;
  const now = deps.clock ? () => deps.clock!.now() : () => new Date();
  const log = deps.logger ?? consoleLogger;
  const forks: Warehouse[] = [];
  const fork = async () => {
    const f = await writer.fork();
    forks.push(f);
    return f;
  };
  const readers = new ConnectionPool(await Promise.all(Array.from({ length: settings.readConnections }, fork)));
  const sql = new ConnectionPool((await Promise.all(Array.from({ length: settings.sqlConnections }, fork))).map((f) => new SqlRunner(f.conn)), 16);
  const authDb = await fork();
  const sessions = new Sessions(authDb, settings.sessionTtlMs, now);
  await sessions.load();
  const auditLog = new AuditLog(await fork(), settings.auditRetentionDays, now, log);
  await auditLog.start();
  const queue = new WriteQueue();
  const events = new EventHub();
  const cache = new KpiCache();
  cache.setVersion(await currentDataVersion(writer));
  const token = deps.token ?? randomBytes(32).toString('base64url');
  // One thread, as loads take turns on the write queue anyway.
  const ownWorkers = deps.workers ? null : new WorkerPool({ name: 'ingest' });
  const workers = deps.workers ?? ownWorkers!;
  const onModels = (run: ModelRunResult) => {
    cache.setVersion(run.data_version);
    events.models({ run_id: run.run_id, data_version: run.data_version, status: run.status, slices: run.slices?.map(({ region_code, period }) => ({ region_code, period })) ?? null });
    alerts.afterModels(run);
    deps.onModels?.(run, ctx);
  };
  const alerts = new AlertService({
    db: await fork(),
    events,
    now,
    log,
    webhooks: { timeoutMs: settings.webhookTimeoutMs, tries: settings.webhookTries, backoffMs: settings.webhookBackoffMs },
    baseUrl: () => ctx.baseUrl,
  });
  const ingest = new IngestService({
    writer,
    queue,
    events,
    stagingDir: settings.stagingDir,
    workers,
    rejectThreshold: normalizeSettings({ db: writer.settings.path }).rejectThreshold,
    now,
    log,
    onModels,
  });
  const ctx: AppContext = {
    settings,
    writer,
    queue,
    readers,
    sql,
    authDb,
    sessions,
    limiter: new LoginLimiter(settings.loginPerUser, settings.loginPerAddress, settings.loginWindowMs, now),
    audit: auditLog,
    events,
    cache,
    ingest,
    alerts,
    baseUrl: settings.publicUrl ?? `http://${settings.host}:${settings.port}`,
    workers,
    regions: new Set(),
    token,
    now,
    log,
    briefings: deps.briefings ?? null,
    identify: (req) => identify(req, sessions, token),
    refreshRegions: async () => {
      ctx.regions = new Set((await listRegions(authDb)).map((r) => r.code));
    },
    close: async () => {
      events.close();
      await queue.idle();
      await alerts.close();
      await auditLog.close();
      for (const f of forks) f.close();
      await ownWorkers?.close();
    },
  };
  await ctx.refreshRegions();
  return ctx;
}

async function currentDataVersion(wh: Warehouse): Promise<number> {
  try {
    return Number((await wh.one<{ v: bigint | null }>('select max(data_version) as v from model_runs'))?.v ?? 0);
  } catch {
    return 0;
  }
}
