// Once per `vitest run` of the browser tests: build the dashboard into a temporary folder, and make a
// small demo warehouse (3,000 subscriptions, 3 months to 2026-09, every model built, the demo users)
// that each test file copies, so a file's loads never leak into another's.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { Warehouse } from '../../warehouse/db.ts';
import { addDemoUsers, seedDemoWarehouse } from '../../demo/seed.ts';

export interface E2eFixture {
  /** The dashboard build the servers serve. */
  dist: string;
  /** A closed warehouse file to copy. */
  template: string;
  /** The demo extracts the template was loaded from (tests re-send corrected copies). */
  extracts: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eFixture;
  }
}

export const PASSWORD = 'demo-password';

export default async function setup(project: TestProject): Promise<() => void> {
  // Screenshots and other artifacts of any test go here; made before the first test file runs.
  mkdirSync(fileURLToPath(new URL('../../test-artifacts', import.meta.url)), { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'tca-e2e-'));
  const dist = join(root, 'dist');
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });

  const extracts = join(root, 'extracts');
  const template = join(root, 'template.duckdb');
  const wh = await Warehouse.open({ path: template, memoryLimit: '1GB', threads: 2 });
  try {
    await seedDemoWarehouse(wh, { out: extracts, subscribers: 3000, months: 3, end: '2026-09', seed: 1 });
    await addDemoUsers(wh, PASSWORD);
  } finally {
    wh.close();
  }
  project.provide('e2e', { dist, template, extracts });
  return () => rmSync(root, { recursive: true, force: true });
}
