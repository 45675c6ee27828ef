// A real DuckDB file in a fresh temporary folder, removed after the test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse, type WarehouseSettings } from '../../warehouse/db.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function tempDir(prefix = 'tca-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `settings`: e.g. the ClickHouse engine's (engine, clickhouse) for a data plane on a test cluster. */
export async function tempWarehouse(settings: Partial<WarehouseSettings> = {}): Promise<{ wh: Warehouse; path: string; dir: string; dispose: () => void }> {
  const { dir, remove } = tempDir('wh-');
  const path = join(dir, 'warehouse.duckdb');
  const wh = await Warehouse.open({ path, memoryLimit: '512MB', threads: 2, ...settings });
  return {
    wh,
    path,
    dir,
    dispose: () => {
      try {
        wh.close();
      } catch {
        // already closed by the test
      }
      remove();
    },
  };
}
