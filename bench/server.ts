// `npm run bench -- server [--subscribers N] [--months M] [--duration S] [--connections C] [--json]`:
// the server as deployed (`npm run serve`, its own process) over a demo warehouse of N subscriptions:
//   1. /api/kpis under autocannon (C connections, S seconds) — p50/p99 latency and errors;
//   2. the same while the last month's four extracts are ingested through the server (load, model
//      refresh, briefings pre-generated, boards told), for as long as the ingest runs;
//   3. a 1M-row × 6-column result (ids, dates, decimals) through /api/sql as Arrow vs JSON, end to end:
//      server encode + transfer + client decode (into columns, or JSON.parse), no compression;
//   4. an aggregate query through /api/sql vs the same query straight in DuckDB (overhead ratio);
//   and the server's peak resident memory over the whole run (VmHWM).
// The warehouse (months 1..M-1 loaded and modelled) is built once and kept in bench/out/.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Type, tableFromIPC, type Table } from 'apache-arrow';
import autocannon from 'autocannon';
import { Warehouse } from '../warehouse/db.ts';
import type { DemoDataSummary } from '../demo/generate.ts';
import { seedDemoWarehouse } from '../demo/seed.ts';
import { type ServerFile, findServer } from '../server/server-file.ts';
import { addUser } from '../warehouse/users.ts';
import { TIME_ZONE } from '../domain/time.ts';
import { BENCH_END, BENCH_OUT, BENCH_PASSWORD } from './demo-warehouse.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ARROW = 'application/vnd.apache.arrow.stream';

export interface Options {
  subscribers: number;
  months: number;
  duration: number;
  connections: number;
  rows: number;
  json: boolean;
}

const log = (m: string) => process.stderr.write(`${m}\n`);
const best = (xs: number[]) => Math.min(...xs);

/** Months 1..M-1 loaded and modelled, users made; month M's extracts kept aside for phase 2. */
async function prepare(o: Options): Promise<{ template: string; lastMonth: string[]; periods: string[] }> {
  const name = `server-${o.subscribers}-${o.months}`;
  const template = join(BENCH_OUT, `${name}.duckdb`);
  const extracts = join(BENCH_OUT, `${name}-extracts`);
  const manifest = join(BENCH_OUT, `${name}.json`);
  if (existsSync(template) && existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as { template: string; lastMonth: string[]; periods: string[] };
  mkdirSync(BENCH_OUT, { recursive: true });
  log(`building the ${o.subscribers.toLocaleString('en')}-subscription warehouse (once, kept in ${BENCH_OUT}) …`);
  const t0 = Date.now();
  rmSync(extracts, { recursive: true, force: true });
  const building = `${template}.building`;
  rmSync(building, { force: true });
  const wh = await Warehouse.open({ path: building, memoryLimit: '4GB' });
  let demo: DemoDataSummary;
  let last: string;
  try {
    // Month M's files are generated with the rest but loaded later, during the run (phase 2).
    ({ demo } = await seedDemoWarehouse(wh, {
      out: extracts,
      subscribers: o.subscribers,
      months: o.months,
      end: BENCH_END,
      seed: 1,
      gbk: true,
      load: (f) => f.period !== BENCH_END,
    }));
    last = demo.periods.at(-1)!;
    for (const role of ['executive', 'analyst'] as const) await addUser(wh, { name: role, role, password: BENCH_PASSWORD });
  } finally {
    wh.close();
  }
  renameSync(building, template);
  const prepared = { template, lastMonth: demo.files.filter((f) => f.period === last).map((f) => f.path), periods: demo.periods.slice(0, -1) };
  writeFileSync(manifest, JSON.stringify(prepared));
  log(`  built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return prepared;
}

/** `npm run serve` on a copy of the template; resolves once its server file names it. */
export async function serve(db: string): Promise<{ child: ChildProcess; server: ServerFile; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'serve.ts')], {
    cwd: ROOT,
    env: { ...process.env, WAREHOUSE: db, PORT: '0', TZ: TIME_ZONE },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 600; i++) {
    const server = findServer(db);
    if (server) return { child, server, output: () => output };
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start within a minute');
}

export async function login(url: string, user: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: BENCH_PASSWORD }) });
  if (!res.ok) throw new Error(`login ${user}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export interface Load {
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** autocannon over the boards' KPI requests (every city and ALL, two months); stops when `until` settles. */
export function hammer(url: string, cookie: string, periods: string[], o: Pick<Options, 'duration' | 'connections'>, until?: Promise<unknown>): Promise<Load> {
  const regions = ['ALL', ...Array.from({ length: 11 }, (_v, i) => String(330100 + 100 * i))];
  const requests = periods.flatMap((p) => regions.map((r) => ({ method: 'GET' as const, path: `/api/kpis?period=${p}&region=${r}` })));
  return new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      { url, connections: o.connections, duration: until ? 3600 : o.duration, headers: { cookie }, requests },
      (err, r) => {
        if (err) return reject(err);
        resolvePromise({ p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, requests: r.requests.total });
      },
    );
    // At least the nominal duration, and for as long as the ingest runs.
    if (until) {
      const min = new Promise((r) => setTimeout(r, o.duration * 1000));
      void Promise.all([until.catch(() => undefined), min]).then(() => instance.stop());
    }
  });
}

const utf8 = new TextDecoder();

/**
 * Columns as a client holds them — numbers in typed arrays (decimals as Float64, dates as epoch ms),
 * strings as strings — read straight from each batch's buffers, as a careful client would: Vector's
 * generic toArray() builds dates and strings one get() at a time.
 */
function arrowColumns(table: Table): unknown[] {
  return table.schema.fields.map((f, c) => {
    const vector = table.getChildAt(c)!;
    const type = f.type as { scale?: number; bitWidth?: number };
    const n = vector.length;
    let row = 0;
    if (f.typeId === Type.Utf8) {
      const out = new Array<string | null>(n);
      for (const d of vector.data) {
        const offsets = d.valueOffsets as Int32Array;
        const base = offsets[0]!;
        const all = utf8.decode((d.values as Uint8Array).subarray(base, offsets[d.length]));
        // All ASCII (as ids are): byte offsets are character offsets, so one decode serves the batch.
        const ascii = all.length === offsets[d.length]! - base;
        for (let i = 0; i < d.length; i++, row++) {
          out[row] = !d.getValid(i) ? null : ascii ? all.slice(offsets[i]! - base, offsets[i + 1]! - base) : utf8.decode((d.values as Uint8Array).subarray(offsets[i], offsets[i + 1]));
        }
      }
      return out;
    }
    if (f.typeId === Type.Decimal || f.typeId === Type.Date) {
      const out = new Float64Array(n);
      const scale = 10 ** (type.scale ?? 0);
      const stride = (type.bitWidth ?? 128) / 32;
      for (const d of vector.data) {
        const values = d.values as Uint32Array | Int32Array;
        for (let i = 0; i < d.length; i++, row++) {
          out[row] = f.typeId === Type.Date ? values[i]! * 86_400_000 : ((values[i * stride + 1]! | 0) * 4294967296 + values[i * stride]!) / scale;
        }
      }
      return out;
    }
    return vector.toArray();
  });
}

async function sqlTimed(url: string, cookie: string, sql: string, limit: number, format: 'arrow' | 'json'): Promise<{ ms: number; bytes: number; rows: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/sql`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', accept: format === 'arrow' ? ARROW : 'application/json' },
    body: JSON.stringify({ sql, limit }),
  });
  if (!res.ok) throw new Error(`/api/sql: ${res.status} ${await res.text()}`);
  if (format === 'arrow') {
    const bytes = new Uint8Array(await res.arrayBuffer());
    const table = tableFromIPC(bytes);
    arrowColumns(table);
    return { ms: performance.now() - t0, bytes: bytes.byteLength, rows: table.numRows };
  }
  const text = await res.text();
  const body = JSON.parse(text) as { rows: unknown[][] };
  return { ms: performance.now() - t0, bytes: Buffer.byteLength(text), rows: body.rows.length };
}

/** VmHWM (peak) or VmRSS (now) of a process, in MB. */
function rssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The server's resident memory sampled four times a second, its maximum per phase. */
function rssSampler(pid: number) {
  const peaks: Record<string, number> = {};
  let phase = 'start';
  const timer = setInterval(() => {
    const mb = rssMb(pid, 'VmRSS');
    if (mb > (peaks[phase] ?? 0)) peaks[phase] = Math.round(mb);
  }, 250);
  timer.unref();
  return {
    phase: (name: string) => (phase = name),
    stop: () => {
      clearInterval(timer);
      return peaks;
    },
  };
}

const AGGREGATE = `select region_code, period, service, item, count(*) as n, sum(amount - discount) as net, avg(amount) as mean
  from raw_revenue group by all order by all`;
const WIDE = (rows: number) => `select line as id, subscription_id, period, amount, discount, amount - discount as net from raw_revenue limit ${rows}`;

/** The aggregate straight in DuckDB, as the server's connections are configured (best of 5 after a warm-up). */
async function directAggregate(db: string): Promise<number> {
  const wh = await Warehouse.open({ path: db, memoryLimit: process.env.DUCKDB_MEMORY_LIMIT ?? '1GB' });
  try {
    await wh.all(AGGREGATE);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await wh.all(AGGREGATE);
      times.push(performance.now() - t0);
    }
    return best(times);
  } finally {
    wh.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      months: { type: 'string', default: '12' },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '32' },
      rows: { type: 'string', default: '1000000' },
      json: { type: 'boolean', default: false },
    },
  });
  const o: Options = {
    subscribers: Number(values.subscribers),
    months: Number(values.months),
    duration: Number(values.duration),
    connections: Number(values.connections),
    rows: Number(values.rows),
    json: values.json,
  };
  const prepared = await prepare(o);
  const dir = mkdtempSync(join(tmpdir(), 'bench-server-'));
  const db = join(dir, 'warehouse.duckdb');
  copyFileSync(prepared.template, db);
  let child: ChildProcess | null = null;
  try {
    const started = await serve(db);
    child = started.child;
    const { url, pid, token } = started.server;
    const sampler = rssSampler(pid);
    const exec = await login(url, 'executive');
    const analyst = await login(url, 'analyst');
    const periods = prepared.periods.slice(-2);

    sampler.phase('kpis');
    log(`/api/kpis: ${o.connections} connections for ${o.duration} s …`);
    await hammer(url, exec, periods, { ...o, duration: 2 }); // warm the cache and the connections
    const alone = await hammer(url, exec, periods, o);

    sampler.phase('ingest');
    log(`/api/kpis while ${prepared.lastMonth.length} extracts of the next month are ingested …`);
    const t0 = Date.now();
    const ingest = fetch(`${url}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paths: prepared.lastMonth.map((p) => ({ path: p, name: p.split('/').pop() })) }),
    }).then(async (r) => (await r.json()) as { files: { status: string; file: string }[] });
    const during = await hammer(url, exec, periods, o, ingest);
    const loaded = await ingest;
    const ingestSeconds = (Date.now() - t0) / 1000;
    const notLoaded = loaded.files.filter((f) => f.status !== 'loaded');
    if (notLoaded.length) throw new Error(`ingest during the benchmark: ${JSON.stringify(notLoaded)}`);
    // The server pre-generates the new month's briefings after each model run; measure the SQL
    // console on an idle server, once the last of them is done (or after two minutes).
    const runs = loaded.files.length;
    for (let i = 0; i < 1200 && (started.output().match(/briefings: .* ready/g) ?? []).length < runs; i++) await new Promise((r) => setTimeout(r, 100));

    sampler.phase('sql_rows');
    log(`${o.rows.toLocaleString('en')}-row result through /api/sql, Arrow vs JSON …`);
    const arrow: { ms: number; bytes: number; rows: number }[] = [];
    const json: { ms: number; bytes: number; rows: number }[] = [];
    for (let i = 0; i < 3; i++) {
      arrow.push(await sqlTimed(url, analyst, WIDE(o.rows), o.rows, 'arrow'));
      json.push(await sqlTimed(url, analyst, WIDE(o.rows), o.rows, 'json'));
    }
    if (arrow[0]!.rows !== json[0]!.rows) throw new Error('Arrow and JSON disagree on the row count');

    sampler.phase('sql_aggregate');
    log('aggregate query through /api/sql …');
    await sqlTimed(url, analyst, AGGREGATE, 1_000_000, 'json');
    const served: number[] = [];
    for (let i = 0; i < 5; i++) served.push((await sqlTimed(url, analyst, AGGREGATE, 1_000_000, 'json')).ms);

    const peak = rssMb(pid, 'VmHWM');
    const phases = sampler.stop();
    // The same query straight in DuckDB, on the same file (now with the new month), once the server is gone.
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    log('the aggregate query straight in DuckDB …');
    const direct = await directAggregate(db);
    const arrowMs = best(arrow.map((r) => r.ms));
    const jsonMs = best(json.map((r) => r.ms));
    const result = {
      bench: 'server',
      subscribers: o.subscribers,
      p50_ms: alone.p50,
      p99_ms: alone.p99,
      p50_during_ingest_ms: during.p50,
      p99_during_ingest_ms: during.p99,
      errors: alone.errors + during.errors,
      requests: alone.requests + during.requests,
      ingest_s: Number(ingestSeconds.toFixed(1)),
      arrow_ms: Math.round(arrowMs),
      json_ms: Math.round(jsonMs),
      arrow_bytes: arrow[0]!.bytes,
      json_bytes: json[0]!.bytes,
      arrow_vs_json_speedup: Number((jsonMs / arrowMs).toFixed(2)),
      sql_ms: Math.round(best(served)),
      duckdb_ms: Math.round(direct),
      sql_overhead_ratio: Number((best(served) / direct).toFixed(3)),
      peak_rss_mb: Math.round(peak),
      rss_by_phase_mb: phases,
    };
    if (o.json) {
      console.log(JSON.stringify(result));
    } else {
      const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
      console.log(`server benchmark: ${o.subscribers.toLocaleString('en')} subscriptions, ${o.connections} connections`);
      console.log(`  /api/kpis alone            p50 ${alone.p50} ms  p99 ${alone.p99} ms  ${alone.requests.toLocaleString('en')} requests, ${alone.errors} errors`);
      console.log(`  /api/kpis during ingest    p50 ${during.p50} ms  p99 ${during.p99} ms  ${during.requests.toLocaleString('en')} requests, ${during.errors} errors (ingest ${ingestSeconds.toFixed(0)} s)`);
      console.log(`  ${o.rows.toLocaleString('en')} rows as Arrow      ${result.arrow_ms} ms  ${mb(result.arrow_bytes)}`);
      console.log(`  ${o.rows.toLocaleString('en')} rows as JSON       ${result.json_ms} ms  ${mb(result.json_bytes)}  (Arrow ${result.arrow_vs_json_speedup}× faster)`);
      console.log(`  aggregate via /api/sql     ${result.sql_ms} ms vs DuckDB ${result.duckdb_ms} ms  (×${result.sql_overhead_ratio})`);
      console.log(`  server peak memory         ${result.peak_rss_mb} MB (by phase: ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    }
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
