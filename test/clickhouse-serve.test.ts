// `npm start` on the ClickHouse engine, end to end (issue 13, "npm start works on it too"): a real local
// two-shard cluster, `npm start` as a child process with WAREHOUSE_ENGINE=clickhouse and the cluster's
// settings on an empty warehouse (it generates, loads and models the demo extracts on the cluster),
// the demo users logged in over HTTP, and every board answer compared with a DuckDB-engine server
// seeded from the same demo extracts: /api/kpis (ALL and two cities) key by key — counts and money
// exact, ratios within 1e-9, null only to null —, series, ranking, targets and scorecard equal; a
// briefing PDF and XLSX of a city naming it; the SQL console answering; the event stream open; then
// SIGTERM → exit 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';
import { seedDemoWarehouse } from '../demo/seed.ts';
import { serverFilePath } from '../server/server-file.ts';
import { xlsxText } from './helpers/briefing-scope.ts';
import { type Figure, sameFigure, useClickhouseCluster } from './helpers/clickhouse.ts';
import { pdfText } from './helpers/pdf-tools.ts';
import { tempDir } from './helpers/temp-warehouse.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';

const ROOT = join(import.meta.dirname, '..');
const cluster = useClickhouseCluster();
const DEMO = { subscribers: 2000, months: 2 };
const CITIES = [
  { code: '330300', zh: '温州' },
  { code: '330100', zh: '杭州' },
];

/** Two JSON answers compared leaf by leaf: numbers within 1e-9 (relative), everything else exactly. */
function differences(path: string, a: unknown, b: unknown, out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) out.push(`${path}: duckdb ${a}, clickhouse ${b}`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences(`${path}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
  } else if (a !== b) {
    out.push(`${path}: duckdb ${JSON.stringify(a)}, clickhouse ${JSON.stringify(b)}`);
  }
  return out;
}

/** What a cached answer carries about itself rather than about the figures. */
function figuresOnly(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer, (k, v: unknown) => (['data_version', 'generated_at', 'as_of', 'cached'].includes(k) ? undefined : v)));
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks), CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function until<T>(what: string, probe: () => T | null | undefined, ms: number, output: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start on the ClickHouse engine (two-shard local cluster)', () => {
  const dir = tempDir('chserve-');
  const warehouse = join(dir.dir, 'control.duckdb');
  let npm: ChildProcess | undefined;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let output = '';
  let url = '';
  const cookies = new Map<string, string>();
  let duck: TestServer;
  let periods: string[] = [];

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...cluster.env('serve'), WAREHOUSE: warehouse, PORT: '0', HOST: '127.0.0.1', DEMO_SUBSCRIBERS: String(DEMO.subscribers), DEMO_MONTHS: String(DEMO.months) };
    npm = spawn('npm', ['run', '--silent', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    npm.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    npm.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exit = new Promise((resolve) => npm!.once('exit', (code, signal) => resolve({ code, signal })));
    // Meanwhile, the reference: the same demo extracts (npm start's options) on the DuckDB engine.
    duck = await testServer({ prepare: async (wh, d) => void (await seedDemoWarehouse(wh, { out: join(d, 'extracts'), gbk: true, ...DEMO })) });
    periods = (await duck.wh.all<{ p: string }>(`select distinct strftime(period, '%Y-%m') as p from mart_kpis order by p`)).map((r) => r.p);
    const file = serverFilePath(warehouse);
    url = (await until('the server file of npm start', () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }) : null), 80_000, () => output)).url;
    for (const user of ['exec', 'analyst', 'wenzhou', 'admin']) {
      const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: 'demo' }) });
      expect(res.status, `login ${user}: ${await res.clone().text()}`).toBe(200);
      cookies.set(user, (res.headers.get('set-cookie') ?? '').split(';')[0]!);
    }
  }, 120_000);

  afterAll(async () => {
    if (npm && npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    await duck?.close();
    dir.remove();
  });

  const get = (path: string, user = 'exec') => fetch(`${url}${path}`, { headers: { cookie: cookies.get(user)! } });
  async function both(path: string, user: 'exec' | 'wenzhou' = 'exec'): Promise<[unknown, unknown]> {
    const [c, d] = [await get(path, user), await duck.fetch(path, { as: user })];
    expect([c.status, d.status], `${path}: ${await c.clone().text()}\n${output.slice(-4000)}`).toEqual([200, 200]);
    return [await d.json(), await c.json()];
  }

  it('serves the demo months of the DuckDB engine, with every KPI key of ALL and two cities equal', async () => {
    expect(output).toMatch(/serving at http/);
    expect(periods).toHaveLength(DEMO.months);
    const diffs: string[] = [];
    let nonNull = 0;
    for (const period of periods) {
      for (const region of ['ALL', ...CITIES.map((c) => c.code)]) {
        const [d, c] = (await both(`/api/kpis?period=${period}&region=${region}`)) as [{ kpis: Record<string, Figure>; missing_extracts: unknown }, { kpis: Record<string, Figure>; missing_extracts: unknown }];
        for (const key of KPI_KEYS) {
          if (d.kpis[key] !== null && d.kpis[key] !== undefined) nonNull++;
          if (!(key in c.kpis)) diffs.push(`${period} ${region} ${key}: missing on clickhouse`);
          else if (!sameFigure(key, d.kpis[key] ?? null, c.kpis[key] ?? null)) diffs.push(`${period} ${region} ${key}: duckdb ${d.kpis[key]}, clickhouse ${c.kpis[key]}`);
        }
        expect(c.missing_extracts).toEqual(d.missing_extracts);
      }
    }
    expect(diffs).toEqual([]);
    expect(nonNull).toBeGreaterThan(KPI_KEYS.length * periods.length * 3 * 0.5);
  });

  it('answers series, rankings, targets and the scorecard as the DuckDB engine does', async () => {
    const [from, to] = [periods[0]!, periods.at(-1)!];
    const paths = [
      ...['active_subscriptions', 'revenue', 'arpu', 'churn_rate'].flatMap((key) => [`/api/kpis/series?key=${key}&region=ALL&from=${from}&to=${to}`, `/api/kpis/series?key=${key}&region=330300&from=${from}&to=${to}`]),
      ...['convergence_rate', 'arpu', 'churn_rate', 'complaints_per_10k'].map((key) => `/api/kpis/ranking?key=${key}&period=${to}`),
      ...['ALL', '330300', '330100'].map((region) => `/api/targets?period=${to}&region=${region}`),
      `/api/scorecard?period=${to}`,
    ];
    const diffs: string[] = [];
    for (const path of paths) {
      const [d, c] = await both(path);
      differences(path, figuresOnly(d), figuresOnly(c), diffs);
    }
    expect(diffs).toEqual([]);
    // Not blind: the reference's answers hold figures.
    const [scorecard] = (await both(`/api/scorecard?period=${to}`)) as [{ rows: unknown[] }, unknown];
    expect(scorecard.rows.length).toBeGreaterThanOrEqual(11);
  });

  it("serves a city's briefing as PDF and XLSX naming the city (the regional user's own)", async () => {
    const period = periods.at(-1)!;
    const pdf = await get(`/api/briefings/330300/${period}.pdf`, 'wenzhou');
    const xlsx = await get(`/api/briefings/330300/${period}.xlsx`, 'wenzhou');
    expect([pdf.status, xlsx.status], `${await pdf.clone().text()} ${await xlsx.clone().text()}`).toEqual([200, 200]);
    expect(pdfText(new Uint8Array(await pdf.arrayBuffer()))).toContain('温州');
    expect(await xlsxText(new Uint8Array(await xlsx.arrayBuffer()))).toContain('温州');
  });

  it('answers the SQL console from the cluster and opens the event stream', async () => {
    const res = await fetch(`${url}/api/sql`, {
      method: 'POST',
      headers: { cookie: cookies.get('analyst')!, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'select count() as n from raw_subscriber' }),
    });
    const body = (await res.json()) as { rows: unknown[][] | Record<string, unknown>[]; columns: unknown[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    const duckCount = (await duck.wh.one<{ n: bigint }>('select count(*) as n from raw_subscriber'))!.n;
    expect(JSON.stringify(body.rows)).toContain(String(duckCount));
    const events = await get('/api/events', 'exec');
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/retry|hello/);
    await reader.cancel();
  });

  it('exports a query as CSV with the rows and values of the DuckDB engine, XLSX too, and refuses Parquet with the reason', async () => {
    const exportAs = (base: string, cookie: string, sql: string, format: string) =>
      fetch(`${base}/api/sql/export`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ sql, format }) });
    const queries = [
      'select region_code, period, active_subscriptions, revenue, arpu, churn_rate from mart_kpis order by period, region_code',
      'select complaint_id, customer_id, region_code, category, resolved_at from raw_complaint order by complaint_id',
    ];
    for (const sql of queries) {
      const [c, d] = [await exportAs(url, cookies.get('analyst')!, sql, 'csv'), await exportAs(duck.url, await duck.cookie('analyst'), sql, 'csv')];
      expect([c.status, d.status], await c.clone().text()).toEqual([200, 200]);
      const [cb, db] = [Buffer.from(await c.arrayBuffer()), Buffer.from(await d.arrayBuffer())];
      expect([...cb.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [crows, drows] = [parseCsv(cb.subarray(3).toString('utf8')), parseCsv(db.subarray(3).toString('utf8'))];
      expect(crows[0]).toEqual(drows[0]);
      expect(crows.length).toBe(drows.length);
      expect(drows.length).toBeGreaterThan(sql.includes('mart_kpis') ? 20 : 2);
      const diffs: string[] = [];
      for (const [i, row] of drows.entries()) {
        for (const [j, v] of row.entries()) {
          const w = crows[i]![j]!;
          const same = v === w || (v !== '' && w !== '' && !Number.isNaN(Number(v)) && Math.abs(Number(v) - Number(w)) <= 1e-9 * Math.max(1, Math.abs(Number(v))));
          if (!same) diffs.push(`row ${i} ${drows[0]![j]}: duckdb ${JSON.stringify(v)}, clickhouse ${JSON.stringify(w)}`);
        }
      }
      expect(diffs.slice(0, 20)).toEqual([]);
      // Missing values stay missing (an empty field), never ClickHouse's \N.
      if (sql.includes('raw_complaint')) expect(cb.includes('\\N')).toBe(false);
    }
    const xlsx = await exportAs(url, cookies.get('analyst')!, queries[0]!, 'xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.getWorksheet('result')!;
    expect(sheet.rowCount).toBe(11 * DEMO.months + DEMO.months + 1);
    expect(typeof sheet.getRow(2).getCell(3).value).toBe('number');
    const parquet = await exportAs(url, cookies.get('analyst')!, queries[0]!, 'parquet');
    expect(parquet.status).toBe(400);
    expect(await parquet.text()).toMatch(/Parquet.*ClickHouse.*Parquet/);
    const hostile = await exportAs(url, cookies.get('analyst')!, "select * from url('http://127.0.0.1:1/', CSV, 'a String')", 'csv');
    expect(hostile.status).toBe(400);
  });

  it('stops on SIGTERM with exit 0, removing the server file', async () => {
    npm!.kill('SIGTERM');
    const result = await Promise.race([exit, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    expect(result, output).toEqual({ code: 0, signal: null });
    expect(existsSync(serverFilePath(warehouse))).toBe(false);
  }, 20_000);
});
