// The ClickHouse models equal the DuckDB ones (issue 13, "every KPI key equal to the DuckDB engine's
// on the same extracts"): the same loads and raw rows in a DuckDB warehouse and, copied by
// test/helpers/clickhouse-mirror.ts, in a warehouse on a real local two-shard ClickHouse cluster;
// the DuckDB models and the ClickHouse models (warehouse/clickhouse/models/) built on each; then every
// answer of the query layer (KPIs, segments, breakdowns, rankings, series, targets, alert figures)
// compared key by key for every (period, region): counts and money exact,
// ratios within 1e-9, null equal to null, the same missing extracts — on the hand-computed fixture
// and on the demo extracts (3,000 subscriptions × 3 months), loaded into each engine by the real
// ingest (on ClickHouse: checked in DuckDB, pushed to the shards, modelled there). Each ClickHouse
// run reports the DuckDB run's data tests, the reconciliations included, all passing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEGMENTS } from '../domain/contracts.ts';
import { KPI_KEYS, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { seedDemoWarehouse } from '../demo/seed.ts';
import { kpiFigures } from '../queries/alerts.ts';
import { judgeMonth } from '../queries/targets.ts';
import { BREAKDOWNS, getBreakdown, getKpis, getRanking, getSeries, type Dimension } from '../queries/kpis.ts';
import { Warehouse } from '../warehouse/db.ts';
import { runModels, type ModelRunResult, type ModelSlice } from '../warehouse/models.ts';
import { loadChCatalog, type ChShardLike } from '../warehouse/clickhouse/models.ts';
import { runClickhouseDataTests } from '../warehouse/clickhouse/models-tests.ts';
import { REVENUE_JUNE, SUBSCRIBERS_JUNE_A, SUBSCRIBERS_JUNE_B, SUBSCRIBERS_MAY, insertHandComputed } from './fixtures/hand-computed.ts';
import { type Figure, sameFigure, useClickhouseCluster } from './helpers/clickhouse.ts';
import { type MirroredWarehouse, mirrorToClickhouse } from './helpers/clickhouse-mirror.ts';
import { insertRaw, openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';
import { tempDir, tempWarehouse } from './helpers/temp-warehouse.ts';

const cluster = useClickhouseCluster();

/** A ratio of a breakdown row is judged like the KPI of its name, else exactly (counts, money). */
function sameCell(column: string, duck: Figure, ch: Figure): boolean {
  if (kpiDefinition(column)) return sameFigure(column, duck, ch);
  if (typeof duck === 'number' && typeof ch === 'number' && /_(rate|share|per_10k|hours|per_outlet)$/.test(column)) {
    return Math.abs(duck - ch) <= 1e-9 * Math.max(1, Math.abs(duck));
  }
  return duck === ch;
}

/** The tests a model run reports, by name: the same list on either engine. */
const testNames = (run: ModelRunResult) => run.tests.map((t) => t.name).sort();

/** The reconciliations of a run (warehouse/models/tests/*.sql, on ClickHouse their ClickHouse SQL), `name: failures`. */
const reconciliations = (tests: ModelRunResult['tests']) => tests.filter((t) => t.model === 'tests').map((t) => `${t.name}: ${t.failures}`).sort();

/**
 * The ClickHouse run reports the DuckDB run's tests, the eight reconciliations among them, and they
 * all pass: the same figures on both engines pass the same checks.
 */
function expectSameTests(duck: ModelRunResult, ch: ModelRunResult): void {
  expect(testNames(ch)).toEqual(testNames(duck));
  const expected = reconciliations(duck.tests);
  expect(expected).toHaveLength(8);
  expect(expected.every((r) => r.endsWith(': 0')), expected.join(', ')).toBe(true);
  expect(reconciliations(ch.tests)).toEqual(expected);
}

/**
 * Runs `check` after `plant` has written into a month's partition of a shard's table, then puts
 * the partition back as it was (swapped in from a copy, as the model runner swaps months in).
 */
async function withPlanted<T>(shard: ChShardLike, table: string, partition: string, plant: () => Promise<void>, check: () => Promise<T>): Promise<T> {
  await shard.command(`DROP TABLE IF EXISTS ${table}__saved`);
  await shard.command(`CREATE TABLE ${table}__saved AS ${table}`);
  await shard.command(`ALTER TABLE ${table}__saved REPLACE PARTITION ${partition} FROM ${table}`);
  try {
    await plant();
    return await check();
  } finally {
    await shard.command(`ALTER TABLE ${table} REPLACE PARTITION ${partition} FROM ${table}__saved`);
    await shard.command(`DROP TABLE ${table}__saved`);
  }
}

/** Every answer of the query layer on both engines, the differences listed (none expected). */
async function compareEngines(duck: Warehouse, ch: Warehouse): Promise<{ differences: string[]; compared: number; nonNull: number }> {
  const differences: string[] = [];
  let compared = 0;
  let nonNull = 0;
  const periods = (
    await duck.all<{ p: string }>(`select distinct strftime(period, '%Y-%m') as p from mart_kpis order by p`)
  ).map((r) => r.p);
  const regions = ['ALL', ...(await duck.all<{ code: string }>('select code from regions order by code')).map((r) => r.code)];
  for (const period of periods) {
    for (const region of regions) {
      const [d, c] = [await getKpis(duck, { period, region }), await getKpis(ch, { period, region })];
      for (const key of KPI_KEYS) {
        compared++;
        if (d.kpis[key] !== null) nonNull++;
        if (!sameFigure(key, d.kpis[key] ?? null, c.kpis[key] ?? null)) {
          differences.push(`${period} ${region} ${key}: duckdb ${d.kpis[key]}, clickhouse ${c.kpis[key]}`);
        }
      }
      if (JSON.stringify(d.missing_extracts) !== JSON.stringify(c.missing_extracts)) {
        differences.push(`${period} ${region} missing_extracts: ${JSON.stringify(d.missing_extracts)} vs ${JSON.stringify(c.missing_extracts)}`);
      }
      for (const segment of SEGMENTS.map((s) => s.code)) {
        const [ds, cs] = [await getKpis(duck, { period, region, segment }), await getKpis(ch, { period, region, segment })];
        for (const [key, value] of Object.entries(ds.kpis)) {
          if (!sameFigure(key, value, cs.kpis[key] ?? null)) differences.push(`${period} ${region} ${segment} ${key}: ${value} vs ${cs.kpis[key]}`);
        }
      }
      for (const dimension of Object.keys(BREAKDOWNS) as Dimension[]) {
        const [db, cb] = [await getBreakdown(duck, { period, region, dimension }), await getBreakdown(ch, { period, region, dimension })];
        if (db.rows.length !== cb.rows.length) differences.push(`${period} ${region} ${dimension}: ${db.rows.length} rows vs ${cb.rows.length}`);
        for (const [i, row] of db.rows.entries()) {
          const other = cb.rows[i] ?? {};
          if (JSON.stringify(Object.keys(row)) !== JSON.stringify(Object.keys(other))) {
            differences.push(`${period} ${region} ${dimension} columns: ${Object.keys(row).join(',')} vs ${Object.keys(other).join(',')}`);
            continue;
          }
          for (const [column, value] of Object.entries(row)) {
            if (!sameCell(column, value, other[column] ?? null)) differences.push(`${period} ${region} ${dimension} ${row.code} ${column}: ${value} vs ${other[column]}`);
          }
        }
      }
    }
    for (const key of ['convergence_rate', 'arpu', 'churn_rate', 'complaints_per_10k', 'commission_per_add']) {
      const [dr, cr] = [await getRanking(duck, { key, period }), await getRanking(ch, { key, period })];
      if (JSON.stringify(dr.rows.map((r) => [r.region_code, r.rank, r.not_reported])) !== JSON.stringify(cr.rows.map((r) => [r.region_code, r.rank, r.not_reported]))) {
        differences.push(`${period} ranking ${key}: ${JSON.stringify(dr.rows)} vs ${JSON.stringify(cr.rows)}`);
      }
    }
  }
  for (const period of periods) {
    const [dt, ct] = [await judgeMonth(duck, { period }), await judgeMonth(ch, { period })];
    if (JSON.stringify(dt) !== JSON.stringify(ct)) differences.push(`${period} targets: ${JSON.stringify(dt).slice(0, 300)} vs ${JSON.stringify(ct).slice(0, 300)}`);
  }
  const [df, cf] = [await kpiFigures(duck, periods), await kpiFigures(ch, periods)];
  if (JSON.stringify([...df.keys()].sort()) !== JSON.stringify([...cf.keys()].sort())) differences.push(`alert figures: ${[...df.keys()].join(',')} vs ${[...cf.keys()].join(',')}`);
  for (const [k, values] of df) {
    for (const key of KPI_KEYS) {
      if (!sameFigure(key, values[key] ?? null, cf.get(k)?.[key] ?? null)) differences.push(`alert figures ${k} ${key}: ${values[key]} vs ${cf.get(k)?.[key]}`);
    }
  }
  const [from, to] = [periods[0]!, periods.at(-1)!];
  for (const key of ['active_subscriptions', 'revenue', 'net_adds']) {
    const [ds, cs] = [await getSeries(duck, { key, region: 'ALL', from, to }), await getSeries(ch, { key, region: 'ALL', from, to })];
    if (JSON.stringify(ds.points) !== JSON.stringify(cs.points)) differences.push(`series ${key}: ${JSON.stringify(ds.points)} vs ${JSON.stringify(cs.points)}`);
  }
  return { differences, compared, nonNull };
}

describe('ClickHouse models on the hand-computed fixture', () => {
  let duck: TempWarehouse;
  let ch: MirroredWarehouse;
  let duckRun: ModelRunResult;
  let chRun: ModelRunResult;

  beforeAll(async () => {
    duck = await openTempWarehouse();
    await insertHandComputed(duck.wh);
    duckRun = await runModels(duck.wh);
    ch = await mirrorToClickhouse(duck.wh, cluster.settings('fixture'));
    chRun = await runModels(ch.wh);
    expect([chRun.mode, chRun.status, chRun.failed, chRun.periods]).toEqual(['full', 'ok', 0, ['2026-05', '2026-06']]);
    expect(chRun.tests.length).toBeGreaterThan(50);
  }, 300_000);

  afterAll(async () => {
    await ch?.dispose();
    duck?.close();
  });

  it('spreads the fixture over both shards', async () => {
    const counts = await Promise.all(ch.wh.clickhouse!.shards.map(async (s) => Number((await s.query<{ n: number }>('SELECT count() AS n FROM raw_subscriber_local', { output_format_json_quote_64bit_integers: 0 }))[0]?.n)));
    expect(counts.every((n) => n > 0), `subscriber rows per shard: ${counts.join(', ')}`).toBe(true);
  });

  it('gives every KPI key of every (period, region), the segments, breakdowns, rankings and series of the DuckDB engine', async () => {
    const { differences, compared, nonNull } = await compareEngines(duck.wh, ch.wh);
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(KPI_KEYS.length * 2);
    expect(nonNull).toBeGreaterThan(KPI_KEYS.length);
  }, 300_000);

  it('runs the data tests of the DuckDB engine, its reconciliations too, and they pass', () => {
    expectSameTests(duckRun, chRun);
  });

  // What it plants it takes back: the next test starts from the built models and their rows.
  it('fails a reconciliation on a figure that breaks it, in a mart and in the rows over the shards', async () => {
    const dp = ch.wh.clickhouse!;
    const [one, two] = dp.shards;
    const failing = async () => reconciliations(await runClickhouseDataTests(dp, ch.wh, loadChCatalog(), ['2026-05-01', '2026-06-01'], true)).filter((r) => !r.endsWith(': 0'));
    expect(await failing()).toEqual([]);
    // a city of June in mart_kpis (a table on the first shard) with more converged customers than customers
    const inMart = await withPlanted(
      one!,
      'mart_kpis',
      '202606',
      () => one!.command(`INSERT INTO mart_kpis (period, region_code, active_customers, converged_customers) VALUES (toDate('2026-06-01'), '330300', 1, 2)`),
      failing,
    );
    expect(inMart).toEqual(['customers_consistent: 1']);
    // a row of a second load in a subscriber slice of June, on the second shard: read through stg_subscriber
    const [slice] = await two!.query<{ region_code: string }>(
      `SELECT region_code FROM raw_subscriber_local WHERE period = toDate('2026-06-01') ORDER BY region_code LIMIT 1`,
    );
    expect(slice, 'a June subscriber row on shard 2').toBeDefined();
    const columns = (await two!.query<{ name: string }>('DESCRIBE TABLE raw_subscriber_local')).map((c) => c.name);
    const copy = columns.map((c) => (c === 'load_id' ? `load_id + 1000 AS load_id` : c)).join(', ');
    const inRows = await withPlanted(
      two!,
      'raw_subscriber_local',
      `(202606, '${slice!.region_code}')`,
      () =>
        two!.command(
          `INSERT INTO raw_subscriber_local SELECT ${copy} FROM raw_subscriber_local WHERE period = toDate('2026-06-01') AND region_code = '${slice!.region_code}' LIMIT 1`,
        ),
      failing,
    );
    expect(inRows).toEqual(['one_load_per_slice: 1']);
    expect(await failing()).toEqual([]);
  }, 120_000);

  // Last of this block: it leaves shard 2's int_subscriptions_local with rows of shard 1's.
  it('fails the data tests on a key repeated across the shards, and on a value outside its enumeration', async () => {
    const [one, two] = ch.wh.clickhouse!.shards;
    const rowOf = async (select: string) =>
      (await one!.client.query({ query: `SELECT ${select} FROM int_subscriptions_local ORDER BY period, subscription_id LIMIT 1`, format: 'TabSeparated' })).text();
    const failing = async () =>
      (await runClickhouseDataTests(ch.wh.clickhouse!, ch.wh, loadChCatalog(), [], false)).filter((t) => t.failures > 0).map((t) => `${t.name}: ${t.failures}`);
    expect(await failing()).toEqual([]);
    // a copy of one of shard 1's subscription-months on shard 2: unique on each shard, not across them
    await two!.command(`INSERT INTO int_subscriptions_local FORMAT TabSeparated\n${await rowOf('*')}`);
    expect(await failing()).toEqual(['unique(int_subscriptions: period, subscription_id): 1']);
    // the copy instead with a channel type no enumeration has
    await two!.command(`TRUNCATE TABLE int_subscriptions_local`);
    const columns = (await one!.query<{ name: string }>('DESCRIBE TABLE int_subscriptions_local')).map((c) => c.name);
    const select = columns.map((c) => (c === 'channel_type' ? `'kiosk' AS channel_type` : c)).join(', ');
    await two!.command(`INSERT INTO int_subscriptions_local FORMAT TabSeparated\n${await rowOf(select)}`);
    expect((await failing()).sort()).toEqual(['accepted_values(int_subscriptions.channel_type): 1', 'unique(int_subscriptions: period, subscription_id): 1']);
  }, 120_000);
});

describe('ClickHouse models on the demo extracts (3,000 subscriptions × 3 months), each engine through the real ingest', () => {
  let duck: Awaited<ReturnType<typeof tempWarehouse>>;
  let ch: Warehouse;
  let duckRun: ModelRunResult;
  let chRun: ModelRunResult;
  const dir = tempDir('chdemo-');

  beforeAll(async () => {
    const options = { subscribers: 3000, months: 3, end: '2026-09', seed: 1 };
    duck = await tempWarehouse();
    ({ run: duckRun } = await seedDemoWarehouse(duck.wh, { ...options, out: join(duck.dir, 'extracts') }));
    ch = await Warehouse.open({ path: join(dir.dir, 'control.duckdb'), memoryLimit: '512MB', threads: 2, engine: 'clickhouse', clickhouse: cluster.settings('demo') });
    ({ run: chRun } = await seedDemoWarehouse(ch, { ...options, out: join(dir.dir, 'extracts') }));
    expect([chRun.mode, chRun.status, chRun.failed]).toEqual(['full', 'ok', 0]);
  }, 600_000);

  afterAll(() => {
    ch?.close();
    dir.remove();
    duck?.dispose();
  });

  it('gives every KPI key of every (period, region), the segments, breakdowns, rankings and series of the DuckDB engine', async () => {
    const { differences, compared, nonNull } = await compareEngines(duck.wh, ch);
    expect(differences.slice(0, 40)).toEqual([]);
    expect(compared).toBe(KPI_KEYS.length * 3 * 12);
    expect(nonNull).toBeGreaterThan(compared / 2);
  }, 300_000);

  it('runs the data tests of the DuckDB engine, its reconciliations too, and they pass', () => {
    expectSameTests(duckRun, chRun);
  });
});

describe('ClickHouse models, incremental', () => {
  let duck: TempWarehouse;
  let ch: MirroredWarehouse;

  beforeAll(async () => {
    duck = await openTempWarehouse();
    await insertRaw(duck.wh, 'subscriber', SUBSCRIBERS_MAY);
    await runModels(duck.wh);
    ch = await mirrorToClickhouse(duck.wh, cluster.settings('incremental'));
    await runModels(ch.wh);
  }, 300_000);

  afterAll(async () => {
    await ch?.dispose();
    duck?.close();
  });

  it('rebuilds the months a load touched, partition by partition, to the figures of the DuckDB engine', async () => {
    const june = [...SUBSCRIBERS_JUNE_A, ...SUBSCRIBERS_JUNE_B];
    await insertRaw(duck.wh, 'subscriber', june);
    await insertRaw(duck.wh, 'revenue', REVENUE_JUNE);
    const slices: ModelSlice[] = [...new Set(june.map((r) => String(r.region_code)))].map((region_code) => ({ kind: 'subscriber', region_code, period: '2026-06' }));
    slices.push(...[...new Set(REVENUE_JUNE.map((r) => String(r.region_code)))].map((region_code) => ({ kind: 'revenue' as const, region_code, period: '2026-06' })));
    const duckRun = await runModels(duck.wh, { slices });
    await ch.sync();
    const before = await getKpis(ch.wh, { period: '2026-05', region: 'ALL' });
    const run = await runModels(ch.wh, { slices });
    expect([run.mode, run.status, run.periods]).toEqual(['incremental', 'ok', ['2026-06', '2026-07']]);
    // the months rebuilt tested on both engines, the reconciliations among them
    expect([duckRun.mode, duckRun.periods]).toEqual(['incremental', ['2026-06', '2026-07']]);
    expectSameTests(duckRun, run);
    // May was not rebuilt and is as it was; June now has its figures, equal to DuckDB's
    expect((await getKpis(ch.wh, { period: '2026-05', region: 'ALL' })).kpis).toEqual(before.kpis);
    expect((await getKpis(ch.wh, { period: '2026-06', region: 'ALL' })).kpis.active_subscriptions).toBeGreaterThan(0);
    const { differences } = await compareEngines(duck.wh, ch.wh);
    expect(differences).toEqual([]);
  }, 300_000);
});
