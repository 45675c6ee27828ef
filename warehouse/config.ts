// Settings shared by every CLI and the server, parsed once with defaults in one place.
import { resolve } from 'node:path';
import type { WarehouseSettings } from './db.ts';
import { normalizeEngine } from './engine.ts';
import { clickhouseSettings } from './clickhouse/settings.ts';

export const DEFAULT_DB_PATH = './data/warehouse.duckdb';

export interface Settings extends WarehouseSettings {
  /** Share of a file's data rows that may be rejected before the whole file is refused. */
  rejectThreshold: number;
}

export function normalizeSettings(input: { db?: string; env?: NodeJS.ProcessEnv } = {}): Settings {
  const env = input.env ?? process.env;
  const raw = input.db ?? env.WAREHOUSE ?? DEFAULT_DB_PATH;
  const threshold = env.REJECT_THRESHOLD === undefined ? 0.05 : Number(env.REJECT_THRESHOLD);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new Error(`REJECT_THRESHOLD must be a fraction between 0 and 1, got ${env.REJECT_THRESHOLD}`);
  }
  const engine = normalizeEngine(env.WAREHOUSE_ENGINE);
  return {
    engine,
    ...(engine === 'clickhouse' ? { clickhouse: clickhouseSettings(env) } : {}),
    path: raw === ':memory:' ? raw : resolve(raw),
    memoryLimit: env.DUCKDB_MEMORY_LIMIT ?? '1GB',
    rejectThreshold: threshold,
    ...(env.DUCKDB_THREADS ? { threads: Number(env.DUCKDB_THREADS) } : {}),
  };
}
