import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shanghaiTimestamp } from '../domain/time.ts';
import { Warehouse } from './db.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-'));
  dirs.push(dir);
  return join(dir, 'w.duckdb');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Warehouse.open', () => {
  it('creates the schema once, seeds the 11 Zhejiang cities and runs in Asia/Shanghai', async () => {
    const path = tempDb();
    let wh = await Warehouse.open({ path, memoryLimit: '256MB' });
    expect((await wh.one<{ n: bigint }>('select count(*) n from regions'))?.n).toBe(11n);
    expect((await wh.one<{ tz: string }>(`select current_setting('TimeZone') tz`))?.tz).toBe('Asia/Shanghai');
    wh.close();
    wh = await Warehouse.open({ path, memoryLimit: '256MB' });
    const versions = await wh.all<{ version: number }>('select version from schema_migrations');
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions.map((v) => v.version)).size).toBe(versions.length);
    expect((await wh.one<{ name_zh: string }>(`select name_zh from regions where code = '330300'`))?.name_zh).toBe('温州市');
    wh.close();
  });

  it('refuses a second process-level open of a locked file with exit code 3', async () => {
    const path = tempDb();
    const wh = await Warehouse.open({ path, memoryLimit: '256MB' });
    const { execFileSync } = await import('node:child_process');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', '-e', `import('./warehouse/db.ts').then(m => m.Warehouse.open({path: ${JSON.stringify(path)}, memoryLimit: '128MB'})).catch(e => { console.error(e.message); process.exit(e.exitCode ?? 1) })`],
        { stdio: 'pipe' },
      );
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
    }
    wh.close();
    expect(status).toBe(3);
    expect(stderr).toMatch(/locked/);
    expect(stderr).toMatch(/PID/);
  });
});

describe('shanghaiTimestamp', () => {
  it('gives Beijing time whatever the machine zone', () => {
    expect(shanghaiTimestamp(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01 00:30:00');
  });
});
