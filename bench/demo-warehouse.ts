// The big demo warehouses the benchmarks need: generated, loaded through the real ingest and modelled
// once, then kept in bench/out/ (at 1M subscriptions this takes minutes).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Warehouse } from '../warehouse/db.ts';
import { countProgress } from '../cli/progress.ts';
import { seedDemoWarehouse } from '../demo/seed.ts';

/** Where the benchmarks keep what they build once (git ignores it). */
export const BENCH_OUT = resolve(import.meta.dirname, 'out');
/** The last month of every benchmark's demo data, so kept warehouses are comparable across runs. */
export const BENCH_END = '2026-09';
/** The password of the users the benchmarks create in their own warehouses. */
export const BENCH_PASSWORD = 'bench-password';

export interface DemoWarehouseOptions {
  subscribers: number;
  months: number;
  end: string;
}

/**
 * Builds the warehouse at `path` unless it is there. The extracts go to `extracts`; `finish` may take
 * what it needs from them (and add users) before they are removed. The file is renamed into place only
 * when complete, so an interrupted build is never mistaken for a warehouse.
 */
export async function buildDemoWarehouse(
  path: string,
  extracts: string,
  o: DemoWarehouseOptions,
  finish?: (wh: Warehouse) => Promise<void>,
): Promise<string> {
  if (existsSync(path)) return path;
  console.error(`building the ${o.subscribers.toLocaleString('en')}-subscription demo warehouse in ${path} (once) …`);
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const wh = await Warehouse.open({ path: building, memoryLimit: '4GB' });
  const loaded = countProgress('  loaded, then the models run');
  try {
    await seedDemoWarehouse(
      wh,
      { out: extracts, subscribers: o.subscribers, months: o.months, end: o.end, seed: 1 },
      { progress: (phase, done, total) => (phase === 'loaded' ? loaded(done, total) : undefined) },
    );
    await finish?.(wh);
  } finally {
    wh.close();
  }
  renameSync(building, path);
  rmSync(extracts, { recursive: true, force: true });
  return path;
}
