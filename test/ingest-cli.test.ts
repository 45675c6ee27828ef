// The ingest CLI as outside checks call it: `npm run --silent ingest -- … --json`, exit codes, and a
// load killed with SIGKILL in the middle.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { FIXTURES, tempDir } from './helpers/temp-warehouse.ts';

const ROOT = join(import.meta.dirname, '..');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('ingest-cli-');
});
afterAll(() => tmp.remove());

function npmIngest(args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'ingest', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run ingest', () => {
  it('prints exactly the --json summary of architecture.md and exits 0 when every file is loaded or duplicate', () => {
    const db = join(tmp.dir, 'a.duckdb');
    const file = join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv');
    const first = npmIngest(['--db', db, '--json', file]);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toEqual({
      files: [{ file, kind: 'subscriber', status: 'loaded', rows_loaded: 5, rows_rejected: 0, load_id: 1, message: expect.any(String) }],
    });
    const again = npmIngest(['--db', db, '--json', file]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ status: 'duplicate', load_id: 1, rows_loaded: 0 });
  });

  it('exits 1 when any file is refused (unknown kind, missing file), still summarising every file', () => {
    const db = join(tmp.dir, 'b.duckdb');
    const noKind = join(tmp.dir, 'export_202609.csv');
    writeFileSync(noKind, 'a,b\n1,2\n');
    const r = npmIngest(['--db', db, '--json', join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv'),
      join(FIXTURES, 'ingest', 'complaint_330300_202609.csv'), noKind, join(tmp.dir, 'missing_subscriber.csv')]);
    expect(r.code).toBe(1);
    const files = JSON.parse(r.stdout).files;
    expect(files.map((f: { status: string; kind: string | null }) => [f.status, f.kind])).toEqual([
      ['loaded', 'subscriber'],
      ['refused', 'complaint'],
      ['refused', null],
      ['refused', 'subscriber'],
    ]);
    // 2 of the complaint file's 4 rows break rules: over the 5% threshold, refused whole.
    expect(files[1]).toMatchObject({ rows_loaded: 0, rows_rejected: 2 });
    expect(r.stderr).toMatch(/missing_subscriber\.csv.*cannot read/);
  });

  it('exits 2 on a usage error and 3 when another process holds the warehouse', async () => {
    expect(npmIngest([]).code).toBe(2);
    expect(npmIngest(['--kind', 'invoice', 'x.csv']).code).toBe(2);
    expect(npmIngest(['--bogus', 'x.csv']).code).toBe(2);
    const db = join(tmp.dir, 'locked.duckdb');
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { Warehouse } = await import('./warehouse/db.ts');
      await Warehouse.open({ path: ${JSON.stringify(db)}, memoryLimit: '128MB' });
      console.log('open'); setInterval(() => {}, 1000);`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await waitFor(holder, (out) => out.includes('open'), 'stdout');
      const r = npmIngest(['--db', db, '--json', join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/locked.*PID \d+/s);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('npm run ingest, then npm run kpis', () => {
  const npmKpis = (args: string[]) => spawnSync('npm', ['run', '--silent', 'kpis', '--', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('loads a header-only region-month file as an empty slice, and kpis names what has not arrived', () => {
    const db = join(tmp.dir, 'empty.duckdb');
    const empty = join(tmp.dir, 'complaint_330300_202609.csv');
    writeFileSync(empty, 'complaint_id,received_at,region_code,category,source\n');
    const r = npmIngest(['--db', db, '--json', join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv'), empty]);
    expect(r.code, r.stderr).toBe(0);
    const files = JSON.parse(r.stdout).files;
    expect(files[1]).toMatchObject({ kind: 'complaint', status: 'loaded', rows_loaded: 0, rows_rejected: 0 });
    expect(files[1].message).toMatch(/1 of them empty \(330300 2026-09/);

    const wenzhou = npmKpis(['--db', db, '--period', '2026-09', '--region', '330300', '--json']);
    expect(wenzhou.status, wenzhou.stderr).toBe(0);
    const body = JSON.parse(wenzhou.stdout);
    expect(Object.keys(body)).toEqual(['period', 'region', 'kpis', 'missing_extracts']);
    expect(body.missing_extracts).toEqual({ channel: ['330300'], revenue: ['330300'] });
    expect(body.kpis.complaints).toBe(0);
    const table = npmKpis(['--db', db, '--period', '2026-09', '--region', '330100']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^not reported \/ 未上报: channel 330100; complaint 330100; revenue 330100/m);
  });
});

/** Resolves when the child's output satisfies `test`; rejects if the child exits first. */
function waitFor(child: ChildProcess, test: (out: string) => boolean, which: 'stdout' | 'stderr'): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child[which]!.on('data', (d: Buffer) => {
      out += d.toString();
      if (test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before expected output; got: ${out}`)));
  });
}

describe('crash safety', () => {
  it('a load killed with SIGKILL mid-load leaves nothing behind, and the file then loads exactly once', async () => {
    const rows = 1_500_000;
    const file = join(tmp.dir, 'subscriber_ALL_202609.csv');
    const gen = await (await DuckDBInstance.create(':memory:')).connect();
    await gen.run(`copy (select '2026-09' period, 'S' || i subscription_id, 'C' || (i // 2) customer_id, 'personal' segment,
        (330100 + 100 * (i % 11))::varchar region_code, 'mobile' service, 'P1' plan_code, null bundle_id, null channel_id,
        '2020-01-01' activated_on, null terminated_on from range(${rows}) t(i)) to '${file}' (header)`);
    gen.closeSync();
    const db = join(tmp.dir, 'crash.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/ingest.ts', '--db', db, file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The progress lines name the phase; 'loading' is the transaction that writes the rows.
    await waitFor(child, (out) => out.includes('loading'), 'stderr');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(child.signalCode).toBe('SIGKILL');

    let wh = await Warehouse.open({ path: db, memoryLimit: '512MB' });
    expect(await wh.one(`select count(*) as n from raw_subscriber`)).toEqual({ n: 0n });
    expect(await wh.all(`select status from loads`)).toEqual([{ status: 'crashed' }]);
    expect(await wh.one(`select count(*) as n from load_slices`)).toEqual({ n: 0n });
    wh.close();

    const again = spawnSync(process.execPath, ['--import', 'tsx', 'cli/ingest.ts', '--db', db, '--json', file], { cwd: ROOT, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ status: 'loaded', rows_loaded: rows });
    wh = await Warehouse.open({ path: db, memoryLimit: '512MB' });
    expect(await wh.one(`select count(*) as n, count(distinct subscription_id) as d from raw_subscriber`)).toEqual({ n: BigInt(rows), d: BigInt(rows) });
    wh.close();
    // 1.5M rows loaded, then the models refreshed, twice over: about 30 s on a quiet 2-core machine, and
    // much longer when other jobs share it. The time is not what this test is about.
  }, 240_000);
});
