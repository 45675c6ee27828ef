// One local two-shard ClickHouse cluster per test file (warehouse/clickhouse/local-cluster.ts): free
// ports, a temporary folder, stopped and removed after the file. No clickhouse-server on the machine
// fails the file with the reason (install it: .ci/run does) — never a skip.
import { afterAll, beforeAll } from 'vitest';
import { kpiDefinition } from '../../domain/kpi-catalogue.ts';
import { normalizeSettings } from '../../warehouse/config.ts';
import { type LocalCluster, clusterEnv, startLocalCluster, stopLocalCluster } from '../../warehouse/clickhouse/local-cluster.ts';
import type { ClickhouseSettings } from '../../warehouse/clickhouse/settings.ts';
import type { WarehouseSettings } from '../../warehouse/db.ts';
import { tempDir } from './temp-warehouse.ts';

export interface ClusterHandle {
  /** The running cluster (after beforeAll). */
  readonly cluster: LocalCluster;
  /** The settings of scale-out.md for it, as environment variables (WAREHOUSE_ENGINE=clickhouse included). */
  env(database?: string): Record<string, string>;
  /** The same, parsed as the platform parses them. */
  settings(database?: string): ClickhouseSettings;
  /** What Warehouse.open takes besides the file: the ClickHouse engine on this cluster. */
  warehouseSettings(database?: string): Pick<WarehouseSettings, 'engine' | 'clickhouse'>;
}

export function useClickhouseCluster(options: { shards?: number } = {}): ClusterHandle {
  let cluster: LocalCluster | undefined;
  let remove: (() => void) | undefined;
  beforeAll(async () => {
    const t = tempDir('ch-');
    remove = t.remove;
    cluster = await startLocalCluster({ dir: t.dir, shards: options.shards ?? 2 });
  });
  afterAll(async () => {
    if (cluster) await stopLocalCluster(cluster);
    remove?.();
  });
  const handle: ClusterHandle = {
    get cluster() {
      if (!cluster) throw new Error('the ClickHouse cluster is not started (use it inside a test or a hook)');
      return cluster;
    },
    env(database = 'tca') {
      return { ...clusterEnv(handle.cluster), CLICKHOUSE_DATABASE: database };
    },
    settings(database = 'tca') {
      return normalizeSettings({ db: ':memory:', env: handle.env(database) }).clickhouse!;
    },
    warehouseSettings(database = 'tca') {
      return { engine: 'clickhouse', clickhouse: handle.settings(database) };
    },
  };
  return handle;
}

export type Figure = number | string | null;

/** A KPI of the two engines equal as the issue asks: counts and money exactly, ratios within 1e-9, null only to null. */
export function sameFigure(key: string, duck: Figure, ch: Figure): boolean {
  if (duck === null || ch === null || typeof duck === 'string' || typeof ch === 'string') return duck === ch;
  const unit = kpiDefinition(key)?.unit;
  if (unit === 'count' || unit === 'money') return duck === ch;
  return Math.abs(duck - ch) <= 1e-9 * Math.max(1, Math.abs(duck));
}
