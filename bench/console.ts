// `npm run bench -- console [--runs R] [--rows N] [--export-rows M] [--export-only] [--json]`: the SQL
// console, version 2.
//   - In headless Debian Chromium over the real server: one query of N rows (default 100,000; every
//     type the console shows) run from the console page as Arrow (the console's own way) and as JSON
//     (`/sql?format=json`, the version 1 path), alternately R times each in a fresh browser context:
//     time from the run (`tca:sql-start`) to the first rows in the grid, and to all rows in the grid.
//   - Export of M rows (default 1,000,000) through POST /api/sql/export as CSV (the whole body read by a
//     client on localhost) against DuckDB's own `COPY (the same query) TO 'file.csv'` on the same
//     warehouse, and Parquet against `COPY … (FORMAT parquet)`; alternately R times, best of each.
// The warehouse is an empty one (the queries use range()), so the figures are the console's own cost.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { TIME_ZONE } from '../domain/time.ts';
import { startServer } from '../server/runtime.ts';
import { normalizeServerSettings } from '../server/settings.ts';
import { Warehouse, quoteLiteral } from '../warehouse/db.ts';
import { addUser } from '../warehouse/users.ts';
import { flag, numberOption } from './args.ts';
import { BENCH_OUT, BENCH_PASSWORD } from './demo-warehouse.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

const gridQuery = (rows: number) => `select range as n,
  9007199254740993 + range as big,
  ((range - 50000)::decimal(18,2) * 0.01)::decimal(18,2) as money,
  date '2026-01-01' + (range % 365)::integer as day,
  timestamp '2026-01-01 08:00:00' + to_seconds(range * 7) as ts,
  range / 3 as third,
  case when range % 7 = 0 then null else '第' || range || '行' end as label
from range(${rows})`;

const exportQuery = (rows: number) => `select range as n, ((range % 100000)::decimal(18,2) * 0.01)::decimal(18,2) as amount,
  date '2026-01-01' + (range % 365)::integer as day, '第' || range || '行' as label, range / 7 as ratio
from range(${rows})`;

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const best = (xs: number[]) => Math.min(...xs);

/** Runs the query in the console page; ms from the run to the first rows and to all rows in the grid. */
async function consoleRun(page: Page, sql: string, rows: number): Promise<{ first: number; all: number }> {
  const editor = page.getByTestId('sql-editor');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
  await page.evaluate(() => performance.clearMarks());
  // Evaluated in the page (a string: this file is compiled without the DOM's types).
  const grid = (want: number) =>
    page.waitForFunction(
      `(() => {
        const g = document.querySelector('[data-testid=result-grid]');
        const start = performance.getEntriesByName('tca:sql-start').at(-1);
        if (!g || !start || Number(g.dataset.rows) < ${want} || g.querySelectorAll('[role=gridcell]').length === 0) return false;
        return performance.now() - start.startTime;
      })()`,
      null,
      { polling: 'raf', timeout: 120_000 },
    );
  const first = grid(1);
  const all = grid(rows);
  await page.getByTestId('run').click();
  return { first: (await (await first).jsonValue()) as number, all: (await (await all).jsonValue()) as number };
}

export async function main(args: string[]): Promise<void> {
  const runs = numberOption(args, 'runs', 5);
  const rows = numberOption(args, 'rows', 100_000);
  const exportRows = numberOption(args, 'export-rows', 1_000_000);
  const json = flag(args, 'json');
  // --export-only: skip the browser part (the export figures alone).
  const browserRuns = flag(args, 'export-only') ? -1 : runs;
  mkdirSync(BENCH_OUT, { recursive: true });
  const dist = join(BENCH_OUT, 'console-dist');
  await build({ configFile: resolve(import.meta.dirname, '..', 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  const dir = mkdtempSync(join(tmpdir(), 'tca-bench-console-'));
  const warehouse = await Warehouse.open({ path: join(dir, 'warehouse.duckdb'), memoryLimit: '2GB' });
  await addUser(warehouse, { name: 'analyst', role: 'analyst', password: BENCH_PASSWORD });
  const settings = normalizeServerSettings(warehouse.settings.path, {}, { host: '127.0.0.1', port: 0, staticDir: dist });
  const server = await startServer({ warehouse, settings, serverFile: false, logger: { info: () => {}, error: (m) => console.error(m) } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'analyst', password: BENCH_PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const session = cookie.split('=').slice(1).join('=');

    // --- the console in the browser, Arrow vs JSON ---
    const times: Record<'arrow' | 'json', { first: number[]; all: number[] }> = { arrow: { first: [], all: [] }, json: { first: [], all: [] } };
    for (let r = 0; r < browserRuns + 1; r++) {
      for (const format of ['arrow', 'json'] as const) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: TIME_ZONE, locale: 'zh-CN' });
        await context.addCookies([{ name: 'tca_session', value: session, url: server.url }]);
        const page = await context.newPage();
        await page.goto(`${server.url}/sql${format === 'json' ? '?format=json' : ''}`);
        await page.getByTestId('sql-editor').waitFor();
        const t = await consoleRun(page, gridQuery(rows), rows);
        await context.close();
        if (r === 0) continue; // warm-up: the server's and the browser's first run
        times[format].first.push(t.first);
        times[format].all.push(t.all);
      }
    }

    // --- export: the server's CSV and Parquet vs DuckDB's COPY on the same query ---
    const sql = exportQuery(exportRows);
    // Under the staging folder: the only one the server's DuckDB may write (server/runtime.ts lockDown).
    const out = join(settings.stagingDir, 'bench-copy');
    mkdirSync(out, { recursive: true });
    const copyConn = await warehouse.fork();
    const exp: Record<string, number[]> = { csv: [], copyCsv: [], parquet: [], copyParquet: [] };
    const sizes: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      for (const format of ['csv', 'parquet'] as const) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/api/sql/export`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ sql, format }) });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`export ${format}: ${res.status} ${new TextDecoder().decode(body)}`);
        exp[format]!.push(performance.now() - t0);
        sizes[format] = body.byteLength;
        const file = join(out, `copy.${format}`);
        const t1 = performance.now();
        await copyConn.run(`COPY (${sql}) TO ${quoteLiteral(file)} ${format === 'csv' ? '(HEADER)' : '(FORMAT parquet, COMPRESSION zstd)'}`);
        exp[format === 'csv' ? 'copyCsv' : 'copyParquet']!.push(performance.now() - t1);
        sizes[`copy-${format}`] = statSync(file).size;
        rmSync(file);
      }
    }
    copyConn.close();

    const figures = {
      rows,
      runs,
      arrow: { first_ms: median(times.arrow.first), all_ms: median(times.arrow.all) },
      json: { first_ms: median(times.json.first), all_ms: median(times.json.all) },
      arrow_speedup_all: median(times.json.all) / median(times.arrow.all),
      arrow_speedup_first: median(times.json.first) / median(times.arrow.first),
      export_rows: exportRows,
      csv_ms: best(exp.csv!),
      copy_csv_ms: best(exp.copyCsv!),
      csv_ratio: best(exp.copyCsv!) / best(exp.csv!),
      parquet_ms: best(exp.parquet!),
      copy_parquet_ms: best(exp.copyParquet!),
      parquet_ratio: best(exp.copyParquet!) / best(exp.parquet!),
      sizes,
    };
    const f = (x: number) => x.toFixed(0);
    if (browserRuns > 0) {
      console.log(`console grid, ${rows.toLocaleString('en')} rows, median of ${runs} (after a warm-up run):`);
      console.log(`  Arrow: first rows ${f(figures.arrow.first_ms)} ms, all rows ${f(figures.arrow.all_ms)} ms`);
      console.log(`  JSON:  first rows ${f(figures.json.first_ms)} ms, all rows ${f(figures.json.all_ms)} ms`);
      console.log(`  Arrow vs JSON: ${figures.arrow_speedup_first.toFixed(2)}× to first rows, ${figures.arrow_speedup_all.toFixed(2)}× to all rows`);
    }
    console.log(`export, ${exportRows.toLocaleString('en')} rows, best of ${runs}:`);
    console.log(`  CSV:     server ${f(figures.csv_ms)} ms (${(sizes.csv! / 1e6).toFixed(1)} MB), DuckDB COPY ${f(figures.copy_csv_ms)} ms → ratio ${figures.csv_ratio.toFixed(2)}`);
    console.log(`  Parquet: server ${f(figures.parquet_ms)} ms (${(sizes.parquet! / 1e6).toFixed(1)} MB), DuckDB COPY ${f(figures.copy_parquet_ms)} ms → ratio ${figures.parquet_ratio.toFixed(2)}`);
    if (json) console.log(JSON.stringify(figures));
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
