// The model runner: builds the staging views and the period-partitioned tables of
// warehouse/models/ in dependency order, runs the data tests, and records the run.
//
// Incremental rule — the unit of refresh is the period (all regions of it, and ALL):
//   a slice (kind, region, p) rebuilds p; a subscriber slice also rebuilds p+1.
// Why whole periods: a bundle's services are counted across every region of p, a channel is found
// in any region of p, vanished subscriptions and orphan revenue rows look at every region's extract
// of p, and ALL(p) reads every row of p anyway — so a city's re-send can move other cities' figures
// of p, and rebuilding the rest of p costs little more than rebuilding ALL(p). p+1 reads p (churn
// cohorts and their converged status, net adds, ARPU's average, vanished subscriptions); nothing
// reads p+2 or later from p, and no other kind is read across months (a region's subscriber slice of p
// is also what makes p+1 like for like, and ARPU's average of p+1). Each table holds a `period`
// column: a rebuild deletes the rows of its periods and inserts them again, in one transaction.
import { createHash } from 'node:crypto';
import { shanghaiTimestamp } from '../domain/time.ts';
import { quoteIdent, quoteLiteral, type Warehouse } from './db.ts';
import { CHANNEL_TYPES, SEGMENTS, SERVICES, type EnumValue } from '../domain/contracts.ts';
import { ENUMS, loadCatalog, type Catalog, type Model } from './models-catalog.ts';
import { checkMonth, periodBindings, periodsToRebuild, type ModelSlice } from './models-periods.ts';
import { execSql } from './models-sql.ts';
import { runDataTests, type TestResult } from './models-tests.ts';
import { runClickhouseModels, loadChCatalog } from './clickhouse/models.ts';
import { runClickhouseDataTests } from './clickhouse/models-tests.ts';

export type { ModelSlice };
export { periodsToRebuild } from './models-periods.ts';

export interface ModelsLogger {
  info(message: string): void;
}

export interface RunModelsOptions {
  /** The slices a load touched; omitted = full refresh. */
  slices?: readonly ModelSlice[];
  logger?: ModelsLogger;
  now?: () => Date;
  catalog?: Catalog;
}

export interface ModelStep {
  name: string;
  materialized: 'view' | 'table';
  /** Rows now in the rebuilt periods of a table; null for views. */
  rows: number | null;
  ms: number;
}

export interface ModelRunResult {
  run_id: number;
  data_version: number;
  mode: 'full' | 'incremental';
  status: 'ok' | 'tests_failed';
  slices: ModelSlice[] | null;
  /** 'YYYY-MM', sorted. */
  periods: string[];
  models: ModelStep[];
  tests: TestResult[];
  /** Number of failed tests. */
  failed: number;
  duration_ms: number;
}

/**
 * ENUM types the models may cast to (see int_subscriptions), made on a full run from the contracts
 * and, for region_t, from the region list (which is why the list is part of the definition hash).
 */
const ENUM_TYPES: Record<string, readonly EnumValue[]> = {
  segment_t: SEGMENTS,
  service_t: SERVICES,
  channel_type_t: CHANNEL_TYPES,
};

const silent: ModelsLogger = { info: () => {} };

export async function runModels(wh: Warehouse, opts: RunModelsOptions = {}): Promise<ModelRunResult> {
  const now = opts.now ?? (() => new Date());
  const log = opts.logger ?? silent;
  const catalog = opts.catalog ?? loadCatalog();
  const started = now();
  const t0 = performance.now();
  // A target slice's period is a year or a month as written ('2026', '2026-09'); the others' a month.
  const slices = opts.slices
    ? opts.slices.map((s) => ({ kind: s.kind, region_code: s.region_code, period: s.kind === 'target' ? checkTargetPeriod(s.period) : checkMonth(s.period) }))
    : null;
  // Targets change no mart, but the answers judged against them (queries/targets.ts): a run after a
  // target load moves the data version, so caches and boards follow, like after a data load.
  const targetsChanged = slices?.some((s) => s.kind === 'target') ?? false;
  const previousVersion = Number((await wh.one<{ v: bigint | null }>('select max(data_version) as v from model_runs'))?.v ?? 0);
  if (wh.clickhouse) return runOnClickhouse(wh, wh.clickhouse, { slices, log, now, started, t0, previousVersion, targetsChanged });
  let runId = 0;
  try {
    return await wh.transaction(async () => {
      runId = Number((await wh.one<{ id: bigint }>(`select nextval('model_run_id_seq') as id`))?.id);
      const full = slices === null || !(await isBuiltFrom(wh, catalog));
      const mode = full ? 'full' : 'incremental';
      for (const statement of catalog.macros) await wh.run(statement);
      if (full) {
        await dropModels(wh, catalog);
        await syncEnums(wh);
      }
      const periods = full ? await allPeriods(wh) : periodsToRebuild(slices ?? []);
      log.info(`models: ${mode} run ${runId}, periods ${periods.length ? periods.join(', ') : '(none)'}`);

      const steps: ModelStep[] = [];
      for (const model of catalog.models) {
        if (!full && model.materialized === 'view') continue;
        const start = performance.now();
        const rows = await build(wh, model, full, periods);
        const step = { name: model.name, materialized: model.materialized, rows, ms: Math.round(performance.now() - start) };
        steps.push(step);
        log.info(`  ${model.name.padEnd(28)} ${model.materialized.padEnd(5)} ${String(rows ?? '').padStart(10)} rows ${String(step.ms).padStart(7)} ms`);
      }
      if (full) await recordState(wh, catalog, runId);

      const tests = await runDataTests(wh, catalog, periods, !full);
      const failedTests = tests.filter((t) => t.failures > 0);
      for (const t of failedTests) log.info(`  FAILED ${t.name}: ${t.failures} row(s)`);
      const status = failedTests.length > 0 ? 'tests_failed' : 'ok';
      const dataVersion = periods.length > 0 || full || targetsChanged ? runId : previousVersion;
      const result: ModelRunResult = {
        run_id: runId,
        data_version: dataVersion,
        mode,
        status,
        slices,
        periods: periods.map((p) => p.slice(0, 7)),
        models: steps,
        tests,
        failed: failedTests.length,
        duration_ms: Math.round(performance.now() - t0),
      };
      await recordRun(wh, {
        ...result,
        started,
        finished: now(),
        failedTests: failedTests.map(({ name, model, failures }) => ({ name, model, failures })),
        message: null,
      });
      return result;
    });
  } catch (err) {
    // The transaction rolled back: the marts are as they were. Keep a trace of the attempt.
    const message = err instanceof Error ? err.message : String(err);
    // A fresh id for the failed run's record: if the sequence step was undone with the transaction,
    // reusing runId would collide with the next run's (seen once under the server).
    const id = Number((await wh.one<{ id: bigint }>(`select nextval('model_run_id_seq') as id`))?.id);
    await recordRun(wh, {
      run_id: id,
      data_version: previousVersion,
      mode: slices ? 'incremental' : 'full',
      status: 'error',
      slices,
      periods: [],
      models: [],
      tests: [],
      failed: 0,
      duration_ms: Math.round(performance.now() - t0),
      started,
      finished: now(),
      failedTests: [],
      message,
    }).catch(() => {});
    throw err;
  }
}

function checkTargetPeriod(period: string): string {
  if (!/^\d{4}$/.test(period)) return checkMonth(period);
  return period;
}

/**
 * The ClickHouse engine (WAREHOUSE_ENGINE=clickhouse): the models of warehouse/clickhouse/models/
 * built on the cluster and their data tests (clickhouse/models.ts, clickhouse/models-tests.ts), the
 * run recorded in the control plane's model_runs like a DuckDB run, so data_version rises the same way.
 */
async function runOnClickhouse(
  wh: Warehouse,
  dp: NonNullable<Warehouse['clickhouse']>,
  ctx: { slices: ModelSlice[] | null; log: ModelsLogger; now: () => Date; started: Date; t0: number; previousVersion: number; targetsChanged: boolean },
): Promise<ModelRunResult> {
  const runId = Number((await wh.one<{ id: bigint }>(`select nextval('model_run_id_seq') as id`))?.id);
  try {
    const catalog = loadChCatalog();
    const run = await runClickhouseModels(dp, wh, { ...(ctx.slices ? { slices: ctx.slices } : {}), logger: ctx.log, catalog });
    const periods = run.periods.map((p) => `${p}-01`);
    const tests = await runClickhouseDataTests(dp, wh, catalog, periods, run.mode === 'incremental');
    const failedTests = tests.filter((t) => t.failures > 0);
    for (const t of failedTests) ctx.log.info(`  FAILED ${t.name}: ${t.failures} row(s)`);
    const result: ModelRunResult = {
      run_id: runId,
      data_version: periods.length > 0 || run.mode === 'full' || ctx.targetsChanged ? runId : ctx.previousVersion,
      mode: run.mode,
      status: failedTests.length > 0 ? 'tests_failed' : 'ok',
      slices: ctx.slices,
      periods: run.periods,
      models: run.models.map((m) => ({ name: m.name, materialized: m.build.endsWith('view') ? 'view' : 'table', rows: null, ms: m.ms })),
      tests,
      failed: failedTests.length,
      duration_ms: Math.round(performance.now() - ctx.t0),
    };
    await recordRun(wh, {
      ...result,
      started: ctx.started,
      finished: ctx.now(),
      failedTests: failedTests.map(({ name, model, failures }) => ({ name, model, failures })),
      message: null,
    });
    return result;
  } catch (err) {
    await recordRun(wh, {
      run_id: runId,
      data_version: ctx.previousVersion,
      mode: ctx.slices ? 'incremental' : 'full',
      status: 'error',
      slices: ctx.slices,
      periods: [],
      models: [],
      tests: [],
      failed: 0,
      duration_ms: Math.round(performance.now() - ctx.t0),
      started: ctx.started,
      finished: ctx.now(),
      failedTests: [],
      message: err instanceof Error ? err.message : String(err),
    }).catch(() => {});
    throw err;
  }
}

/**
 * Builds one model. A table is filled one period at a time: every model reads at most p and p-1,
 * and per-period statements keep DuckDB's hash tables small enough not to spill under the
 * warehouse's memory limit — a full refresh is then about twelve incremental ones, no more.
 */
async function build(wh: Warehouse, model: Model, full: boolean, periods: string[]): Promise<number | null> {
  const name = quoteIdent(model.name);
  if (model.materialized === 'view') {
    await wh.run(`create or replace view ${name} as ${model.sql}`);
    return null;
  }
  if (full) {
    // An empty scope gives the table its columns and types without computing anything.
    await execSql(wh, `create or replace table ${name} as ${model.sql}`, periodBindings([]), model.name);
  }
  let rows = 0;
  for (const period of periods) {
    const bindings = periodBindings([period]);
    if (!full) await execSql(wh, `delete from ${name} where list_contains($periods, period)`, bindings, model.name);
    rows += await execSql(wh, `insert into ${name} by name ${model.sql}`, bindings, model.name);
  }
  return rows;
}

/** Every month with rows of a kind or with a current slice (an empty slice has figures too: its zeros). */
async function allPeriods(wh: Warehouse): Promise<string[]> {
  const rows = await wh.all<{ p: string }>(
    `select distinct strftime(period, '%Y-%m-%d') as p from (
       select period from raw_subscriber union all select period from raw_channel
       union all select date_trunc('month', received_at)::date from raw_complaint union all select period from raw_revenue
       union all select period from load_slices
       where superseded_by_load is null and kind in ('subscriber', 'revenue', 'channel', 'complaint'))
     order by p`,
  );
  return rows.map((r) => r.p);
}

/** True when every model's table or view exists and was built from the current files. */
async function isBuiltFrom(wh: Warehouse, catalog: Catalog): Promise<boolean> {
  const state = await wh.all<{ model: string; sql_hash: string }>('select model, sql_hash from model_state');
  const existing = new Set(
    (await wh.all<{ name: string }>(`select table_name as name from duckdb_tables() union all select view_name from duckdb_views()`)).map((r) => r.name),
  );
  const hash = definitionHash(catalog, await regionCodes(wh));
  return catalog.models.every((m) => existing.has(m.name) && state.some((s) => s.model === m.name && s.sql_hash === hash));
}

/** The model files, the enumerations and the region list: what the built tables depend on besides data. */
function definitionHash(catalog: Catalog, regions: string[]): string {
  return createHash('sha256').update(catalog.hash).update(JSON.stringify(ENUMS)).update(JSON.stringify(regions)).digest('hex');
}

async function regionCodes(wh: Warehouse): Promise<string[]> {
  return (await wh.all<{ code: string }>('select code from regions order by code')).map((r) => r.code);
}

async function recordState(wh: Warehouse, catalog: Catalog, runId: number): Promise<void> {
  await wh.run('delete from model_state');
  const hash = definitionHash(catalog, await regionCodes(wh));
  for (const m of catalog.models) {
    await wh.run('insert into model_state values ($m, $h, $r)', { m: m.name, h: hash, r: runId });
  }
}

/**
 * A full run starts from nothing: every model object goes, and those of models since removed, so
 * that the ENUM types they use can be made again from the contracts.
 */
async function dropModels(wh: Warehouse, catalog: Catalog): Promise<void> {
  const names = new Set([
    ...catalog.models.map((m) => m.name),
    ...(await wh.all<{ model: string }>('select model from model_state')).map((r) => r.model),
  ]);
  const views = new Set((await wh.all<{ name: string }>(`select view_name as name from duckdb_views() where not internal`)).map((r) => r.name));
  const tables = new Set((await wh.all<{ name: string }>(`select table_name as name from duckdb_tables()`)).map((r) => r.name));
  // dependents first: views over tables, marts over intermediates
  for (const name of [...names].reverse()) {
    if (views.has(name)) await wh.run(`drop view ${quoteIdent(name)}`);
    else if (tables.has(name)) await wh.run(`drop table ${quoteIdent(name)}`);
  }
  const types: [string, string[]][] = [
    ...Object.entries(ENUM_TYPES).map(([type, values]): [string, string[]] => [type, values.map((v) => v.code)]),
    ['region_t', await regionCodes(wh)],
  ];
  for (const [type, codes] of types) {
    await wh.run(`drop type if exists ${quoteIdent(type)}`);
    // DDL takes no parameters; the codes come from the contracts and the checked region list
    await wh.run(`create type ${quoteIdent(type)} as enum (${codes.map(quoteLiteral).join(', ')})`);
  }
}

async function syncEnums(wh: Warehouse): Promise<void> {
  await wh.run('delete from ref_enums');
  for (const [dimension, values] of Object.entries(ENUMS)) {
    for (const [i, v] of values.entries()) {
      await wh.run('insert into ref_enums values ($d, $c, $l, $o)', { d: dimension, c: v.code, l: v.label, o: i + 1 });
    }
  }
}

interface RunRecord extends Omit<ModelRunResult, 'status'> {
  status: ModelRunResult['status'] | 'error';
  started: Date;
  finished: Date;
  failedTests: { name: string; model: string; failures: number }[];
  message: string | null;
}

async function recordRun(wh: Warehouse, r: RunRecord): Promise<void> {
  await wh.run(
    `insert into model_runs values ($id, $version, $mode, $status, $started::timestamp, $finished::timestamp, $ms,
       $slices::json, $periods::json, $models::json, $passed, $failed, $failed_tests::json, $message)`,
    {
      id: r.run_id,
      version: r.data_version,
      mode: r.mode,
      status: r.status,
      started: shanghaiTimestamp(r.started),
      finished: shanghaiTimestamp(r.finished),
      ms: r.duration_ms,
      slices: r.slices ? JSON.stringify(r.slices) : null,
      periods: JSON.stringify(r.periods),
      models: JSON.stringify(r.models),
      passed: r.tests.length - r.failed,
      failed: r.failed,
      failed_tests: JSON.stringify(r.failedTests),
      message: r.message,
    },
  );
}
