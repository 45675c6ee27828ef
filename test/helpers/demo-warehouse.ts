// A small demo warehouse for cross-module tests: the deterministic demo extracts, loaded through the
// real ingest, models run — the path a production warehouse takes, at 3,000 subscriptions.
import { join } from 'node:path';
import { ingestFile } from '../../ingest/load.ts';
import { generateDemoData, type DemoDataOptions } from '../../demo/generate.ts';
import { runModels } from '../../warehouse/models.ts';
import { tempWarehouse } from './temp-warehouse.ts';

export async function demoWarehouse(options: Omit<DemoDataOptions, 'out'> = {}) {
  const t = await tempWarehouse();
  const demo = await generateDemoData({ subscribers: 3000, months: 13, end: '2026-09', seed: 1, ...options, out: join(t.dir, 'extracts') });
  for (const f of demo.files) {
    const r = await ingestFile(t.wh, f.path);
    if (r.status !== 'loaded') throw new Error(`demo extract ${f.path} was ${r.status}: ${r.message}`);
  }
  const run = await runModels(t.wh);
  if (run.failed > 0) throw new Error(`demo models: ${run.failed} data test(s) failed`);
  return { ...t, demo };
}
