// The big demo warehouses the benchmarks need: generated, loaded through the real ingest and modelled
// once, then kept in bench/out/ (at 1M subscriptions this takes minutes).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { ingestFile } from '../ingest/load.ts';
import { Warehouse } from '../warehouse/db.ts';
import { generateDemoData } from '../demo/generate.ts';
import { runModels } from '../warehouse/models.ts';

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
  const demo = await generateDemoData({ out: extracts, subscribers: o.subscribers, months: o.months, end: o.end, seed: 1 });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const wh = await Warehouse.open({ path: building, memoryLimit: '4GB' });
  try {
    for (const [i, f] of demo.files.entries()) {
      const r = await ingestFile(wh, f.path);
      if (r.status !== 'loaded') throw new Error(`${f.path}: ${r.status} ${r.message}`);
      process.stderr.write(`\r  loaded ${i + 1}/${demo.files.length} files`);
    }
    process.stderr.write('\n  running the models …\n');
    await runModels(wh);
    await finish?.(wh);
  } finally {
    wh.close();
  }
  renameSync(building, path);
  rmSync(extracts, { recursive: true, force: true });
  return path;
}
