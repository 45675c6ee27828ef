// The server's settings, parsed once from the environment with every default in one place.
import { dirname, join, resolve } from 'node:path';

export interface ServerSettings {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /**
   * The one folder DuckDB may touch besides the warehouse's own files: uploads, landing-folder files
   * and ingest's temporary CSVs are put here before DuckDB reads them.
   */
  stagingDir: string;
  /** Landing folder watched for new extracts (INGEST_DIR); null = no watching. */
  ingestDir: string | null;
  watchIntervalMs: number;
  /** Ad-hoc SQL: time limit, default and largest row cap, concurrent queries. */
  sqlTimeoutMs: number;
  sqlDefaultLimit: number;
  sqlMaxLimit: number;
  sqlConnections: number;
  /**
   * Once an ad-hoc answer starts, the client must take all of it within this time, else the stream is
   * cut and the SQL connection released: a slow reader cannot hold one of the few for good.
   */
  sqlWriteTimeoutMs: number;
  /** POST /api/sql/export: the most rows one export may hold, and the time the whole export may take. */
  exportMaxRows: number;
  exportTimeoutMs: number;
  /** HTTP: the request's headers, and the whole request (body included: uploads), must arrive within these. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Server-sent event streams one user may hold open at once (429 beyond). */
  sseStreamsPerUser: number;
  /** Connections for the KPI API (cache misses), beside the writer's. */
  readConnections: number;
  sessionTtlMs: number;
  /** Failed logins allowed per user name and per client address within loginWindowMs. */
  loginPerUser: number;
  loginPerAddress: number;
  loginWindowMs: number;
  maxUploadBytes: number;
  /** The dashboard build, served at / when present. */
  staticDir: string;
  /** Set the Secure flag on the session cookie (behind HTTPS). */
  secureCookies: boolean;
  /** The dashboard's address as people open it (PUBLIC_URL), for the link in alert messages; null: the server's own. */
  publicUrl: string | null;
  /** Alert webhooks: time limit per try, tries, the wait before the second try (doubled after). */
  webhookTimeoutMs: number;
  webhookTries: number;
  webhookBackoffMs: number;
  /**
   * The audit log keeps its entries this many days (AUDIT_RETENTION_DAYS, default 400); the server
   * removes older ones itself, at start and once a day — nothing else deletes from it.
   */
  auditRetentionDays: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return n;
}

export function normalizeServerSettings(dbPath: string, env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerSettings> = {}): ServerSettings {
  const base = dbPath === ':memory:' ? process.cwd() : dirname(dbPath);
  const settings: ServerSettings = {
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 8080),
    stagingDir: resolve(env.STAGING_DIR ?? join(base, 'staging')),
    ingestDir: env.INGEST_DIR ? resolve(env.INGEST_DIR) : null,
    watchIntervalMs: int(env, 'WATCH_INTERVAL_MS', 1000, 10),
    sqlTimeoutMs: int(env, 'SQL_TIMEOUT_MS', 30_000, 1),
    sqlDefaultLimit: int(env, 'SQL_DEFAULT_LIMIT', 100_000, 1),
    sqlMaxLimit: int(env, 'SQL_MAX_ROWS', 1_000_000, 1),
    sqlConnections: int(env, 'SQL_CONNECTIONS', 2, 1),
    sqlWriteTimeoutMs: int(env, 'SQL_WRITE_TIMEOUT_S', 30, 1) * 1000,
    exportMaxRows: int(env, 'EXPORT_MAX_ROWS', 10_000_000, 1),
    exportTimeoutMs: int(env, 'EXPORT_TIMEOUT_S', 1800, 1) * 1000,
    headersTimeoutMs: int(env, 'HTTP_HEADERS_TIMEOUT_S', 20, 1) * 1000,
    requestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_S', 1800, 1) * 1000,
    sseStreamsPerUser: int(env, 'SSE_STREAMS_PER_USER', 8, 1),
    readConnections: int(env, 'READ_CONNECTIONS', 4, 1),
    sessionTtlMs: int(env, 'SESSION_TTL_HOURS', 12, 1) * 3600_000,
    loginPerUser: int(env, 'LOGIN_MAX_FAILURES_PER_USER', 5, 1),
    loginPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1),
    loginWindowMs: int(env, 'LOGIN_WINDOW_MINUTES', 15, 1) * 60_000,
    maxUploadBytes: int(env, 'MAX_UPLOAD_MB', 4096, 1) * 1024 * 1024,
    staticDir: resolve(env.STATIC_DIR ?? join(import.meta.dirname, '..', 'dist')),
    secureCookies: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    publicUrl: env.PUBLIC_URL || null,
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 5000, 1),
    webhookTries: int(env, 'WEBHOOK_TRIES', 3, 1),
    webhookBackoffMs: int(env, 'WEBHOOK_BACKOFF_MS', 1000, 0),
    auditRetentionDays: int(env, 'AUDIT_RETENTION_DAYS', 400, 1),
    ...overrides,
  };
  if (settings.sqlDefaultLimit > settings.sqlMaxLimit) settings.sqlDefaultLimit = settings.sqlMaxLimit;
  const warehouseDir = resolve(base);
  // The staging folder is the only one ad-hoc SQL could reach: it must not hold the warehouse file.
  if (warehouseDir === settings.stagingDir || warehouseDir.startsWith(settings.stagingDir + '/')) {
    throw new Error(`STAGING_DIR ${settings.stagingDir} must not contain the warehouse file`);
  }
  return settings;
}
