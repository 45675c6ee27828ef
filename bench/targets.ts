// `npm run bench -- targets [--subscribers N] [--duration S] [--connections C] [--json]`: the targets
// answers at N subscriptions (default 1,000,000) × 12 months. The data are those of the models
// benchmark (generated in DuckDB, bench/models-data.sql, full model run); the demo's target file for
// each year (demo/targets.ts: 6 headline KPIs for every city and ALL, with monthly overrides) is loaded
// through the real ingest. Then:
//   1. the computation itself, straight on the warehouse (no server, no cache): getTargets for a city,
//      getScorecard — each judges every region's targets of the month (queries/targets.ts);
//   2. `npm run serve` on the file, and autocannon over GET /api/targets (every city and ALL, two
//      months) and GET /api/scorecard (two months) as an executive: p50/p99 through HTTP, the answers
//      cached per data version like the KPI routes (the first request of each computes).
// Target (issue 12): p99 ≤ 50 ms for both routes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { demoTargets, writeTargetFile } from '../demo/targets.ts';
import { ingestFile } from '../ingest/load.ts';
import { getScorecard, getTargets } from '../queries/targets.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { runModels } from '../warehouse/models.ts';
import { addUser } from '../warehouse/users.ts';
import { BENCH_PASSWORD } from './demo-warehouse.ts';
import { MONTHS, START, generate } from './models.ts';
import { login, serve } from './server.ts';
import { addMonths } from '../domain/period.ts';

interface Load {
  p50: number;
  p99: number;
  max: number;
  errors: number;
  requests: number;
}

function hammer(url: string, cookie: string, paths: string[], duration: number, connections: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections, duration, headers: { cookie }, requests: paths.map((path) => ({ method: 'GET' as const, path })) },
      (err, r) => {
        if (err) return reject(err);
        resolve({ p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts + r.non2xx, requests: r.requests.total });
      },
    );
  });
}

async function timed(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: Math.round(times[Math.floor(runs / 2)]! * 10) / 10, max: Math.round(times.at(-1)! * 10) / 10 };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.subscribers);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--subscribers must be an integer ≥ 100, got ${values.subscribers}`);
  const log = (m: string) => {
    if (!values.json) process.stderr.write(`${m}\n`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'bench-targets-'));
  const db = join(dir, 'bench.duckdb');
  const last = addMonths(START, MONTHS - 1);
  const months = [last, addMonths(last, -1)];
  try {
    const wh = await Warehouse.open(normalizeSettings({ db }));
    let compute: { city: { median: number; max: number }; all: { median: number; max: number }; scorecard: { median: number; max: number } };
    let rows = 0;
    try {
      log(`generating ${n.toLocaleString('en')} subscriptions × ${MONTHS} months and the full model run …`);
      const t = performance.now();
      await generate(wh, n, 0, MONTHS - 1);
      await runModels(wh);
      log(`  ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const perCity = (
        await wh.all<{ n: bigint }>(
          `select count(*) as n from regions g left join raw_subscriber s on s.region_code = g.code and s.period = $p::date group by g.code order by g.code`,
          { p: `${START}-01` },
        )
      ).map((r) => Number(r.n));
      // The generated data numbered their loads themselves (month × 4 + kind): move the sequence past them.
      const maxLoad = Number((await wh.one<{ n: bigint }>('select coalesce(max(load_id), 0) as n from loads'))!.n);
      while (Number((await wh.one<{ id: bigint }>(`select nextval('load_id_seq') as id`))!.id) <= maxLoad);
      for (const year of [...new Set([START.slice(0, 4), last.slice(0, 4)])]) {
        const file = join(dir, `target_ALL_${year}.csv`);
        writeTargetFile(file, demoTargets(perCity, year, last), false);
        const r = await ingestFile(wh, file);
        if (r.status !== 'loaded') throw new Error(`targets ${year}: ${r.message}`);
        rows += r.rows_loaded;
      }
      log(`targets loaded: ${rows} rows`);
      compute = {
        city: await timed(() => getTargets(wh, { period: last, region: '330300' }), 15),
        all: await timed(() => getTargets(wh, { period: last, region: 'ALL' }), 15),
        scorecard: await timed(() => getScorecard(wh, { period: last }), 15),
      };
      log(`computed on the file (no cache), median / max of 15: getTargets(330300) ${compute.city.median} / ${compute.city.max} ms, ` +
        `getTargets(ALL) ${compute.all.median} / ${compute.all.max} ms, getScorecard ${compute.scorecard.median} / ${compute.scorecard.max} ms`);
      await addUser(wh, { name: 'executive', role: 'executive', password: BENCH_PASSWORD });
    } finally {
      wh.close();
    }

    const { child, server } = await serve(db);
    try {
      const cookie = await login(server.url, 'executive');
      const regions = ['ALL', ...Array.from({ length: 11 }, (_v, i) => String(330100 + 100 * i))];
      log(`GET /api/targets: ${connections} connections for ${duration} s …`);
      const targets = await hammer(server.url, cookie, months.flatMap((p) => regions.map((r) => `/api/targets?period=${p}&region=${r}`)), duration, connections);
      log(`GET /api/scorecard: ${connections} connections for ${duration} s …`);
      const scorecard = await hammer(server.url, cookie, months.map((p) => `/api/scorecard?period=${p}`), duration, connections);
      const line = (name: string, l: Load) =>
        `  ${name.padEnd(20)} p50 ${l.p50} ms  p99 ${l.p99} ms  max ${l.max} ms  ${l.requests.toLocaleString('en')} requests, ${l.errors} errors`;
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ bench: 'targets', subscribers: n, target_rows: rows, compute_ms: compute, targets, scorecard })}\n`);
      } else {
        console.log(`targets at ${n.toLocaleString('en')} subscriptions × ${MONTHS} months (${rows} target rows), ${connections} connections:`);
        console.log(line('/api/targets', targets));
        console.log(line('/api/scorecard', scorecard));
        console.log(`  computed without cache: getTargets ${compute.city.median} ms (ALL ${compute.all.median} ms), getScorecard ${compute.scorecard.median} ms (medians)`);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
