// `npm run bench -- clickhouse [--subscribers N] [--duration S] [--connections C] [--json] [--keep DIR]`:
// the same data on the DuckDB engine and on a local two-shard ClickHouse cluster
// (warehouse/clickhouse/local-cluster.ts, started and stopped here), in the same run:
//   1. the synthetic universe of bench/models-data.sql (N subscriptions, default 1,000,000, × 12
//      months) inserted into each warehouse's DuckDB raw tables with its loads and slices, as ingest
//      leaves them; on the ClickHouse engine then pushed to the shards (pushPendingLoads: what ingest
//      does after its DuckDB commit, the rows then leaving the DuckDB file) — rows per second, rows per
//      shard, and how long the shards' background merges of the pushed parts run after it (the refresh
//      is timed once they are done, as DuckDB's is after its CHECKPOINT);
//   2. the full refresh of the models over the 12 months, then one new month and the incremental
//      refresh of its slices (runModels, data tests included), on each engine;
//   3. every KPI key of every (period, region) compared between the engines (getKpis);
//   4. /api/kpis under autocannon on each engine's server (`npm run serve`): p50/p99.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KPI_KEYS, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { addMonths } from '../domain/period.ts';
import { DATA_KINDS } from '../domain/contracts.ts';
import { getKpis } from '../queries/kpis.ts';
import { pushPendingLoads } from '../warehouse/clickhouse/load.ts';
import { clusterEnv, startLocalCluster, stopLocalCluster } from '../warehouse/clickhouse/local-cluster.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { runModels, type ModelRunResult } from '../warehouse/models.ts';
import { addUser } from '../warehouse/users.ts';
import { BENCH_PASSWORD } from './demo-warehouse.ts';
import { MONTHS, START, generate } from './models.ts';
import { hammer, login, serve } from './server.ts';

const log = (m: string) => process.stderr.write(`${m}\n`);
const seconds = (start: number) => Math.round((performance.now() - start) / 10) / 100;
const CH_KEYS = ['WAREHOUSE_ENGINE', 'CLICKHOUSE_URLS', 'CLICKHOUSE_CLUSTER', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CLICKHOUSE_READONLY_USER', 'CLICKHOUSE_READONLY_PASSWORD'];

interface EngineFigures {
  push_s: number | null;
  merges_settled_s: number | null;
  push_rows_per_s: number | null;
  full_s: number;
  incremental_s: number;
  ratio: number;
  kpis_p50_ms: number;
  kpis_p99_ms: number;
  kpis_requests: number;
  kpis_errors: number;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '15' },
      connections: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      keep: { type: 'string' },
    },
  });
  const n = Number(values.subscribers);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--subscribers must be an integer ≥ 100, got ${values.subscribers}`);
  const load = { duration: Number(values.duration), connections: Number(values.connections) };
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'bench-clickhouse-'));
  const say = (m: string) => (values.json ? undefined : log(m));
  const newMonth = addMonths(START, MONTHS);
  const periods = [addMonths(START, MONTHS - 2), addMonths(START, MONTHS - 1)];

  say(`starting a two-shard ClickHouse cluster in ${dir}/clickhouse …`);
  const cluster = await startLocalCluster({ dir: join(dir, 'clickhouse'), shards: 2 });
  const chEnv = { ...clusterEnv(cluster), CLICKHOUSE_DATABASE: 'bench' };
  const saved = Object.fromEntries(CH_KEYS.map((k) => [k, process.env[k]]));
  try {
    // 1–2. DuckDB
    const duckPath = join(dir, 'duckdb.duckdb');
    const duckEnv = { ...process.env, WAREHOUSE_ENGINE: 'duckdb' };
    const duck = await Warehouse.open(normalizeSettings({ db: duckPath, env: duckEnv }));
    let duckFull: number;
    let duckIncremental: number;
    try {
      say(`DuckDB: generating ${n.toLocaleString('en')} subscriptions × ${MONTHS} months …`);
      await generate(duck, n, 0, MONTHS - 1);
      await duck.run('checkpoint');
      let t = performance.now();
      check(await runModels(duck));
      duckFull = seconds(t);
      say(`  full refresh ${duckFull} s`);
      await generate(duck, n, MONTHS, MONTHS);
      t = performance.now();
      check(await runModels(duck, { slices: await newSlices(duck, newMonth) }));
      duckIncremental = seconds(t);
      say(`  incremental refresh (${newMonth}) ${duckIncremental} s`);
      await addUser(duck, { name: 'analyst', role: 'analyst', password: BENCH_PASSWORD });
    } finally {
      duck.close();
    }

    // 1–2. ClickHouse
    const chPath = join(dir, 'clickhouse-control.duckdb');
    const ch = await Warehouse.open(normalizeSettings({ db: chPath, env: { ...process.env, ...chEnv } }));
    let chFull: number;
    let chIncremental: number;
    let pushS: number;
    let settleS: number;
    let pushRows: number;
    let perShard: number[];
    let differences = 0;
    let compared = 0;
    try {
      say(`ClickHouse: generating the same in the control plane, then pushing it to the shards …`);
      await generate(ch, n, 0, MONTHS - 1);
      await ch.run('checkpoint');
      let t = performance.now();
      const pushed = await pushPendingLoads(ch);
      pushS = seconds(t);
      pushRows = pushed.rows;
      say(`  pushed ${pushRows.toLocaleString('en')} rows in ${pushS} s (${Math.round(pushRows / pushS).toLocaleString('en')} rows/s)`);
      // At rest before the refresh, as DuckDB is after its CHECKPOINT: the parts the push wrote merged.
      settleS = await mergesSettled(ch);
      say(`  the shards' background merges of the pushed parts finished ${settleS} s later`);
      perShard = await Promise.all(
        ch.clickhouse!.shards.map(async (s) => Number((await s.query<{ n: string }>('SELECT count() AS n FROM raw_subscriber_local'))[0]?.n ?? 0)),
      );
      t = performance.now();
      check(await runModels(ch));
      chFull = seconds(t);
      say(`  full refresh ${chFull} s`);
      await generate(ch, n, MONTHS, MONTHS);
      await pushPendingLoads(ch);
      await mergesSettled(ch);
      t = performance.now();
      check(await runModels(ch, { slices: await newSlices(ch, newMonth) }));
      chIncremental = seconds(t);
      say(`  incremental refresh (${newMonth}) ${chIncremental} s`);
      await addUser(ch, { name: 'analyst', role: 'analyst', password: BENCH_PASSWORD });
    } finally {
      ch.close();
    }

    // 3. the same figures
    {
      const d = await Warehouse.open(normalizeSettings({ db: duckPath, env: duckEnv }));
      const c = await Warehouse.open(normalizeSettings({ db: chPath, env: { ...process.env, ...chEnv } }));
      try {
        const regions = ['ALL', ...(await d.all<{ code: string }>('select code from regions order by code')).map((r) => r.code)];
        for (let i = 0; i <= MONTHS; i++) {
          const period = addMonths(START, i);
          for (const region of regions) {
            const [a, b] = [(await getKpis(d, { period, region })).kpis, (await getKpis(c, { period, region })).kpis];
            for (const key of KPI_KEYS) {
              compared++;
              const [x, y] = [a[key] ?? null, b[key] ?? null];
              const unit = kpiDefinition(key)?.unit;
              const same = x === null || y === null || unit === 'count' || unit === 'money' ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
              if (!same) {
                if (differences < 10) say(`  differs: ${period} ${region} ${key}: duckdb ${x}, clickhouse ${y}`);
                differences++;
              }
            }
          }
        }
      } finally {
        c.close();
        d.close();
      }
      say(`KPI keys compared: ${compared.toLocaleString('en')}, different: ${differences}`);
    }

    // 4. /api/kpis on each engine's server
    const kpis = async (db: string, env: Record<string, string | undefined>) => {
      for (const k of CH_KEYS) delete process.env[k];
      Object.assign(process.env, env);
      const { child, server } = await serve(db);
      try {
        const cookie = await login(server.url, 'analyst');
        await hammer(server.url, cookie, periods, { duration: 3, connections: load.connections }); // warm-up
        return await hammer(server.url, cookie, periods, load);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    };
    const duckLoad = await kpis(duckPath, { WAREHOUSE_ENGINE: 'duckdb' });
    const chLoad = await kpis(chPath, chEnv);

    const total = perShard.reduce((a, b) => a + b, 0);
    const fairShare = Math.round((Math.max(...perShard) / (total / perShard.length)) * 1000) / 1000;
    const figures: Record<'duckdb' | 'clickhouse', EngineFigures> = {
      duckdb: {
        push_s: null,
        merges_settled_s: null,
        push_rows_per_s: null,
        full_s: duckFull,
        incremental_s: duckIncremental,
        ratio: Math.round((duckIncremental / duckFull) * 1000) / 1000,
        kpis_p50_ms: duckLoad.p50,
        kpis_p99_ms: duckLoad.p99,
        kpis_requests: duckLoad.requests,
        kpis_errors: duckLoad.errors,
      },
      clickhouse: {
        push_s: pushS,
        merges_settled_s: settleS,
        push_rows_per_s: Math.round(pushRows / pushS),
        full_s: chFull,
        incremental_s: chIncremental,
        ratio: Math.round((chIncremental / chFull) * 1000) / 1000,
        kpis_p50_ms: chLoad.p50,
        kpis_p99_ms: chLoad.p99,
        kpis_requests: chLoad.requests,
        kpis_errors: chLoad.errors,
      },
    };
    const result = {
      bench: 'clickhouse',
      subscribers: n,
      months: MONTHS,
      shards: perShard.length,
      subscriber_rows_per_shard: perShard,
      max_share_of_fair: fairShare,
      full_ratio_clickhouse_to_duckdb: Math.round((chFull / duckFull) * 100) / 100,
      kpi_keys_compared: compared,
      kpi_keys_different: differences,
      ...figures,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log('');
      log(`${n.toLocaleString('en')} subscriptions × ${MONTHS} months; subscriber rows per shard ${perShard.map((x) => x.toLocaleString('en')).join(' / ')} (largest ${fairShare}× its fair share)`);
      log(`| engine | push to shards | full refresh | incremental | ratio | /api/kpis p50 | p99 | requests |`);
      log(`|---|---|---|---|---|---|---|---|`);
      for (const [name, f] of Object.entries(figures)) {
        log(
          `| ${name} | ${f.push_s === null ? '—' : `${f.push_s} s (${f.push_rows_per_s!.toLocaleString('en')} rows/s), merged ${f.merges_settled_s} s after`} | ${f.full_s} s | ${f.incremental_s} s | ${f.ratio} | ${f.kpis_p50_ms} ms | ${f.kpis_p99_ms} ms | ${f.kpis_requests.toLocaleString('en')} (${f.kpis_errors} errors) |`,
        );
      }
      log(`full refresh, ClickHouse / DuckDB: ${result.full_ratio_clickhouse_to_duckdb}; KPI keys different: ${differences} of ${compared.toLocaleString('en')}`);
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await stopLocalCluster(cluster);
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The slices of the new month's loads: 4 kinds × the regions with a slice (the control plane's record). */
async function newSlices(wh: Warehouse, month: string) {
  const regions = (
    await wh.all<{ code: string }>(`select distinct region_code as code from load_slices where kind = 'subscriber' and strftime(period, '%Y-%m') = $month order by 1`, {
      month,
    })
  ).map((r) => r.code);
  if (regions.length === 0) throw new Error(`no subscriber slice of ${month}`);
  return DATA_KINDS.flatMap((kind) => regions.map((region_code) => ({ kind, region_code, period: month })));
}

/** Waits until no shard merges parts any more (what the push left them to do); returns the seconds waited. */
async function mergesSettled(wh: Warehouse): Promise<number> {
  const t = performance.now();
  for (;;) {
    const busy = await Promise.all(wh.clickhouse!.shards.map(async (s) => Number((await s.query<{ n: string }>('SELECT count() AS n FROM system.merges'))[0]?.n ?? 0)));
    if (busy.every((n) => n === 0)) return seconds(t);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function check(r: ModelRunResult): void {
  if (r.failed > 0) throw new Error(`data tests failed: ${r.tests.filter((t) => t.failures > 0).map((t) => t.name).join(', ')}`);
}
