// A small demo warehouse for cross-module tests: the deterministic demo extracts, loaded through the
// real ingest, models run — the path a production warehouse takes, at 3,000 subscriptions.
import { join } from 'node:path';
import type { DemoDataOptions } from '../../demo/generate.ts';
import { seedDemoWarehouse } from '../../demo/seed.ts';
import { tempWarehouse } from './temp-warehouse.ts';

export async function demoWarehouse(options: Omit<DemoDataOptions, 'out'> = {}) {
  const t = await tempWarehouse();
  const { demo } = await seedDemoWarehouse(t.wh, { subscribers: 3000, months: 13, end: '2026-09', seed: 1, ...options, out: join(t.dir, 'extracts') });
  return { ...t, demo };
}
