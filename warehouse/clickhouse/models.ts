// The model runner of the ClickHouse engine: the ClickHouse SQL of warehouse/clickhouse/models/ (one
// file per DuckDB model of warehouse/models/, same names, plus a few that hold what the DuckDB
// models share through CTEs), built per month partition into a staging table and swapped in with
// ALTER TABLE … REPLACE PARTITION, incremental by the months a load touched (the same rule as
// ../models.ts: periodsToRebuild).
//
// A statement may build several months (batchSize), so {periods} may hold several: a model that reads
// p-1 reads {previous_periods} in a branch of its own (a month can be both built and the previous one).
//
// Where each model lives — the header line `-- build: KIND` of its file:
//   view            a view on every shard (over replicated rows: channels, the slices)
//   sharded view    a view `NAME_local` on every shard over its own rows, and `NAME` reading all shards
//   sharded         a table `NAME_local` on every shard, built there from that shard's rows (a customer's
//                   rows are all on one shard: sharded by customer_id), and `NAME` reading all shards
//   replicated      a table on every shard built from replicated rows (the grid of slices)
//   cluster         a table on the first shard only, built from the `NAME`s that read every shard
//                   (a Distributed table; on a single node a view over NAME_local); the marts are such
//                   tables, and the KPI queries read them on the first shard.
// A sharded table that holds a shard's part of an aggregate says `-- tests: each shard`: its data
// tests run on each shard's NAME_local. The control plane stays in the local DuckDB file: before a run the current slices (load_slices) and
// the enumerations are copied to `ctl_slices` and `ref_enums` on every shard.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../db.ts';
import { addMonths } from '../../domain/period.ts';
import { checkMonth, periodsToRebuild, type ModelSlice } from '../models-periods.ts';
import { ENUMS, LAYERS, MODELS_DIR } from '../models-catalog.ts';
import { literal } from './data-plane.ts';

export const CH_MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'models');

/** What the runner needs of the data plane (warehouse/clickhouse/data-plane.ts has it). */
export interface ChShardLike {
  query<T = Record<string, unknown>>(sql: string, settings?: Record<string, unknown>): Promise<T[]>;
  command(sql: string, settings?: Record<string, unknown>): Promise<void>;
}
export interface ChDataPlaneLike {
  readonly shards: readonly ChShardLike[];
  readonly settings: { readonly cluster: string | null; readonly database: string };
}

export type BuildKind = 'view' | 'sharded view' | 'sharded' | 'replicated' | 'cluster';
const BUILD_KINDS: readonly BuildKind[] = ['view', 'sharded view', 'sharded', 'replicated', 'cluster'];

export interface ChModel {
  name: string;
  build: BuildKind;
  sql: string;
  dependsOn: string[];
  /** `-- tests: each shard`: a shard's partial table, whose grain is unique on each shard (not across them). */
  testsEachShard: boolean;
}

/** A reconciliation: tests/NAME.sql, the ClickHouse SQL of the DuckDB engine's ../models/tests/NAME.sql. */
export interface ChTest {
  name: string;
  /** Without its comments; reads the months tested as `period IN {periods}`. */
  sql: string;
}

export interface ChCatalog {
  /** In dependency order. */
  models: ChModel[];
  macros: Map<string, { params: string[]; body: string }>;
  /** The reconciliations, by name: the same names as the DuckDB engine's. */
  tests: ChTest[];
  hash: string;
}

/** Settings of every model statement: a LEFT JOIN's missing right side is null (never 0 or ''). */
export const MODEL_SETTINGS = { join_use_nulls: 1, max_query_size: 4_194_304 } as const;

const NAME = /^[a-z][a-z0-9_]*$/;

/** The model files of `dir`; its reconciliations must be those of the DuckDB models in `duckDir`. */
export function loadChCatalog(dir = CH_MODELS_DIR, duckDir = MODELS_DIR): ChCatalog {
  const found: Omit<ChModel, 'dependsOn'>[] = [];
  const hash = createHash('sha256');
  for (const layer of LAYERS) {
    const layerDir = join(dir, layer);
    if (!existsSync(layerDir)) continue;
    for (const file of readdirSync(layerDir).filter((f) => f.endsWith('.sql')).sort()) {
      const name = basename(file, '.sql');
      if (!NAME.test(name)) throw new Error(`ClickHouse model file ${layer}/${file}: names are lower_snake_case`);
      const sql = readFileSync(join(layerDir, file), 'utf8');
      hash.update(file).update(sql);
      const m = /^--\s*build:\s*([a-z ]+?)\s*$/m.exec(sql);
      const build = m?.[1] as BuildKind | undefined;
      if (!build || !BUILD_KINDS.includes(build)) throw new Error(`ClickHouse model ${name}: its first line must say -- build: ${BUILD_KINDS.join(' | ')}`);
      found.push({ name, build, sql: stripComments(sql), testsEachShard: /^--\s*tests:\s*each shard\s*$/m.test(sql) });
    }
  }
  const macrosText = readFileSync(join(dir, 'macros.sql'), 'utf8');
  hash.update(macrosText);
  const tests = loadTests(dir, duckDir);
  for (const t of tests) hash.update(`tests/${t.name}`).update(t.sql);
  const names = new Set(found.map((m) => m.name));
  const models = found.map((m) => ({
    ...m,
    dependsOn: [...names].filter((n) => n !== m.name && new RegExp(`\\b${n}(_local)?\\b`).test(m.sql)),
  }));
  return { models: topoSort(models), macros: parseMacros(macrosText), tests, hash: hash.digest('hex') };
}

/**
 * The reconciliations of tests/*.sql, one per file of the DuckDB models' tests/ with the same name:
 * a reconciliation written for one engine only would test the figures of that engine only, so a
 * file missing on either side is an error, not a test less.
 */
function loadTests(dir: string, duckDir: string): ChTest[] {
  const names = (d: string) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.sql')).map((f) => basename(f, '.sql')).sort() : []);
  const ours = names(join(dir, 'tests'));
  const theirs = names(join(duckDir, 'tests'));
  const missing = [
    ...theirs.filter((n) => !ours.includes(n)).map((n) => `tests/${n}.sql has no ClickHouse version`),
    ...ours.filter((n) => !theirs.includes(n)).map((n) => `tests/${n}.sql is on the ClickHouse engine only`),
  ];
  if (missing.length > 0) throw new Error(`the reconciliations of the two engines differ: ${missing.join('; ')} (write each in both)`);
  return ours.map((name) => {
    if (!NAME.test(name)) throw new Error(`ClickHouse reconciliation tests/${name}.sql: names are lower_snake_case`);
    return { name, sql: stripComments(readFileSync(join(dir, 'tests', `${name}.sql`), 'utf8')) };
  });
}

function stripComments(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .filter((line) => line.trim() !== '')
    .join('\n');
}

function topoSort(models: ChModel[]): ChModel[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const out: ChModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: ChModel) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') throw new Error(`ClickHouse models: a cycle through ${m.name}`);
    state.set(m.name, 'visiting');
    for (const d of m.dependsOn) visit(byName.get(d)!);
    state.set(m.name, 'done');
    out.push(m);
  };
  for (const m of models) visit(m);
  return out;
}

function parseMacros(text: string): ChCatalog['macros'] {
  const macros: ChCatalog['macros'] = new Map();
  for (const chunk of stripComments(text).split(/^\s*;\s*$/m)) {
    const m = /^\s*([a-z_][a-z0-9_]*)\s*\(([^)]*)\)\s*:=\s*([\s\S]+)$/.exec(chunk);
    if (!m) {
      if (chunk.trim()) throw new Error(`ClickHouse macros.sql: cannot read ${JSON.stringify(chunk.trim().slice(0, 60))}`);
      continue;
    }
    macros.set(m[1]!, { params: m[2]!.split(',').map((p) => p.trim()), body: m[3]!.trim() });
  }
  return macros;
}

/** The SQL with every macro call replaced by its body (arguments put in parenthesised), nested calls too. */
export function expandMacros(sql: string, macros: ChCatalog['macros']): string {
  let out = sql;
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (const [name, { params, body }] of macros) {
      const re = new RegExp(`\\b${name}\\s*\\(`, 'g');
      let m: RegExpExecArray | null;
      while ((m = re.exec(out)) !== null) {
        const open = m.index + m[0].length - 1;
        const { args, end } = readArgs(out, open);
        if (args.length !== params.length) throw new Error(`macro ${name} takes ${params.length} argument(s), got ${args.length}`);
        let expanded = body;
        params.forEach((p, i) => {
          expanded = expanded.replace(new RegExp(`\\b${p}\\b`, 'g'), () => `(${args[i]!.trim()})`);
        });
        out = out.slice(0, m.index) + `(${expanded})` + out.slice(end + 1);
        re.lastIndex = m.index;
        changed = true;
      }
    }
    if (!changed) return out;
  }
  throw new Error('ClickHouse macros nest too deep');
}

function readArgs(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  let quote = false;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      if (ch === "'" && sql[i - 1] !== '\\') quote = false;
      continue;
    }
    if (ch === "'") quote = true;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      depth--;
      if (depth === 0) {
        args.push(sql.slice(start, i));
        return { args, end: i };
      }
    } else if (ch === ',' && depth === 1) {
      args.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  throw new Error('unbalanced parentheses in a macro call');
}

/**
 * A model's SQL for the months given ('YYYY-MM-01'): {periods} and {previous_periods} as tuples of
 * Dates (`period IN {periods}`: the months' partitions are read, the others skipped).
 *
 * A view that says where its rows are read (`{period_filter}` after its raw table) is read through
 * its SQL, not its name, when a model reads it for a set of months (`FROM NAME WHERE period IN
 * {periods}`): 18.16 does not push a WHERE into a view, so through the name every month of the raw
 * table would be read and turned into staging rows, then all but a few thrown away. As a view (and
 * for the months it is not read for) the filter is nothing.
 */
export function modelSql(model: ChModel, catalog: ChCatalog, periods: readonly string[]): string {
  const list = (ps: string[]) => `(${ps.map((p) => `toDate('${checkMonth(p)}-01')`).join(', ')})`;
  const previous = periods.map((p) => `${addMonths(checkMonth(p), -1)}-01`);
  let sql = expandMacros(model.sql, catalog.macros);
  // until no such read is left: a view's SQL may itself read such a view
  for (let round = 0, before = ''; sql !== before; round++) {
    if (round > 10) throw new Error(`ClickHouse model ${model.name}: views nest too deep`);
    before = sql;
    for (const { read, body } of readThroughSql(catalog)) {
      sql = sql.replace(read, (_, set: string) => `FROM (${body.replaceAll('{period_filter}', `WHERE period IN {${set}}`)}) WHERE period IN {${set}}`);
    }
  }
  return sql
    .replaceAll('{periods}', list([...periods]))
    .replaceAll('{previous_periods}', list(previous))
    .replaceAll('{period_filter}', '');
}

/**
 * Months a model builds in one statement (then swapped in month by month). A sharded model builds one
 * month at a time: its hash tables (a month's subscriptions, customers) stay small, and a shard's
 * statements for 1 month cost less per month than for 4 (measured at a million subscriptions: 25%
 * less for int_customers, 10–20% for the others). The other models hold sums per (month, region, …):
 * they build every month in one statement, since 18.16 spends a fixed part of a second analysing each.
 */
function batchSize(model: ChModel, months: number): number {
  return model.build === 'sharded' ? 1 : Math.max(1, months);
}

const viewsReadThroughSql = new WeakMap<ChCatalog, { read: RegExp; body: string }[]>();

/** The views that mark their reads with {period_filter}: how a model reads one for some months, and its SQL (once per catalog). */
function readThroughSql(catalog: ChCatalog): { read: RegExp; body: string }[] {
  let views = viewsReadThroughSql.get(catalog);
  if (!views) {
    views = catalog.models
      .filter((v) => (v.build === 'view' || v.build === 'sharded view') && v.sql.includes('{period_filter}'))
      .map((v) => ({
        read: new RegExp(`\\bFROM\\s+${v.build === 'sharded view' ? `${v.name}_local` : v.name}\\s+WHERE\\s+period\\s+IN\\s+\\{(periods|previous_periods)\\}`, 'g'),
        body: expandMacros(v.sql, catalog.macros),
      }));
    viewsReadThroughSql.set(catalog, views);
  }
  return views;
}

/** The months no data has: a table's structure is made from the model's SQL over them. */
const NO_PERIODS = ['1971-01-01'];

export interface ChModelStep {
  name: string;
  build: BuildKind;
  ms: number;
}

export interface ChModelRunResult {
  mode: 'full' | 'incremental';
  /** 'YYYY-MM', sorted. */
  periods: string[];
  models: ChModelStep[];
  duration_ms: number;
}

export interface ChModelsLogger {
  info(message: string): void;
}

export interface RunChModelsOptions {
  /** The slices a load touched; omitted = full refresh. */
  slices?: readonly ModelSlice[];
  logger?: ChModelsLogger;
  catalog?: ChCatalog;
}

function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain name: ${name}`);
  return name;
}

/**
 * Runs the ClickHouse models: a full refresh (no slices, or the model files changed since the last
 * full run, or a model table is missing) rebuilds every object and every month; an incremental one
 * rebuilds the months `periodsToRebuild(slices)` names. `control` is the control plane (the local
 * DuckDB file), whose current slices the models read.
 */
export async function runClickhouseModels(dp: ChDataPlaneLike, control: Warehouse, opts: RunChModelsOptions = {}): Promise<ChModelRunResult> {
  const t0 = performance.now();
  const log = opts.logger ?? { info: () => {} };
  const catalog = opts.catalog ?? loadChCatalog();
  const first = dp.shards[0]!;
  await syncControl(dp, control);
  const full = opts.slices === undefined || !(await isBuiltFrom(dp, catalog));
  const periods = full ? await allPeriods(dp) : periodsToRebuild(opts.slices ?? []);
  log.info(`models (ClickHouse): ${full ? 'full' : 'incremental'} run, periods ${periods.length ? periods.join(', ') : '(none)'}`);
  if (full) await createObjects(dp, catalog);
  const steps: ChModelStep[] = [];
  for (const model of catalog.models) {
    if (model.build === 'view' || model.build === 'sharded view') continue;
    const start = performance.now();
    const targets = model.build === 'cluster' ? [first] : dp.shards;
    const table = model.build === 'sharded' ? `${model.name}_local` : model.name;
    const size = batchSize(model, periods.length);
    const batches: string[][] = [];
    for (let i = 0; i < periods.length; i += size) batches.push(periods.slice(i, i + size));
    // Each shard builds its months on its own (no waiting for the slower shard between months).
    await Promise.all(
      targets.map(async (shard) => {
        // __new exists while the model builds: made afresh (one a crash left behind dropped) and
        // dropped after, never emptied by TRUNCATE — a merge running through a TRUNCATE still commits
        // its part after it on 18.16, and the next swap of that month would add its rows. In between,
        // each month is inserted once and swapped in whole (a month without rows in __new empties the
        // table's month); a month's partition in __new is never written again.
        await shard.command(`DROP TABLE IF EXISTS ${table}__new`);
        await shard.command(`CREATE TABLE ${table}__new AS ${table}`);
        for (const batch of batches) {
          await shard.command(`INSERT INTO ${table}__new ${modelSql(model, catalog, batch)}`, MODEL_SETTINGS);
          for (const period of batch) await shard.command(`ALTER TABLE ${table} REPLACE PARTITION ${period.slice(0, 4)}${period.slice(5, 7)} FROM ${table}__new`);
        }
        await shard.command(`DROP TABLE ${table}__new`);
      }),
    );
    const step = { name: model.name, build: model.build, ms: Math.round(performance.now() - start) };
    steps.push(step);
    log.info(`  ${model.name.padEnd(28)} ${model.build.padEnd(12)} ${String(step.ms).padStart(7)} ms`);
  }
  if (full) await first.command(`INSERT INTO ctl_model_state VALUES (${literal(catalog.hash)}, now())`);
  return {
    mode: full ? 'full' : 'incremental',
    periods: periods.map((p) => p.slice(0, 7)),
    models: steps,
    duration_ms: Math.round(performance.now() - t0),
  };
}

/** The current slices of the four data kinds and the enumerations, copied to every shard. */
async function syncControl(dp: ChDataPlaneLike, control: Warehouse): Promise<void> {
  const slices = await control.all<{ kind: string; region_code: string; period: string; rows: bigint; load_id: bigint }>(
    `select kind, region_code, strftime(period, '%Y-%m-%d') as period, rows, load_id from load_slices
     where superseded_by_load is null and kind in ('subscriber', 'revenue', 'channel', 'complaint')`,
  );
  const enums = Object.entries(ENUMS).flatMap(([dimension, values]) => values.map((v, i) => ({ dimension, code: v.code, label: v.label, ordinal: i + 1 })));
  for (const shard of dp.shards) {
    await shard.command(
      `CREATE TABLE IF NOT EXISTS ctl_slices (kind String, region_code String, period Date, rows Int64, load_id Int64) ENGINE = TinyLog`,
    );
    await shard.command(
      `CREATE TABLE IF NOT EXISTS ref_enums (dimension String, code String, label_zh String, ordinal Int32) ENGINE = TinyLog`,
    );
    await shard.command(`CREATE TABLE IF NOT EXISTS ctl_model_state (hash String, built_at DateTime) ENGINE = TinyLog`);
    await shard.command('TRUNCATE TABLE ctl_slices');
    if (slices.length > 0) {
      await shard.command(
        `INSERT INTO ctl_slices VALUES ${slices
          .map((s) => `(${literal(s.kind)}, ${literal(s.region_code)}, toDate(${literal(s.period)}), ${Number(s.rows)}, ${Number(s.load_id)})`)
          .join(', ')}`,
      );
    }
    await shard.command('TRUNCATE TABLE ref_enums');
    await shard.command(
      `INSERT INTO ref_enums VALUES ${enums.map((e) => `(${literal(e.dimension)}, ${literal(e.code)}, ${literal(e.label)}, ${e.ordinal})`).join(', ')}`,
    );
  }
}

/** True when the last full run was of these model files and every model table is there. */
async function isBuiltFrom(dp: ChDataPlaneLike, catalog: ChCatalog): Promise<boolean> {
  const first = dp.shards[0]!;
  const [state] = await first.query<{ hash: string }>('SELECT hash FROM ctl_model_state ORDER BY built_at DESC LIMIT 1');
  if (state?.hash !== catalog.hash) return false;
  const tables = new Set((await first.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase()')).map((r) => r.name));
  return catalog.models.every((m) => tables.has(m.name));
}

/** Every month with rows of a kind or with a current slice, 'YYYY-MM-01'. */
async function allPeriods(dp: ChDataPlaneLike): Promise<string[]> {
  const rows = await dp.shards[0]!.query<{ p: string }>(
    `SELECT DISTINCT toString(period) AS p FROM (
       SELECT period FROM raw_subscriber UNION ALL SELECT period FROM raw_channel UNION ALL SELECT period FROM raw_complaint
       UNION ALL SELECT period FROM raw_revenue UNION ALL SELECT period FROM ctl_slices)
     ORDER BY p`,
  );
  return rows.map((r) => r.p);
}

/** Drops and creates every model object (views, tables, their staging tables and reading names). */
async function createObjects(dp: ChDataPlaneLike, catalog: ChCatalog): Promise<void> {
  const first = dp.shards[0]!;
  // Each shard's DDL is its own: the shards in parallel. Dependents first.
  await Promise.all(
    dp.shards.map(async (shard) => {
      for (const model of [...catalog.models].reverse()) {
        for (const name of [model.name, `${model.name}_local`, `${model.name}__new`, `${model.name}_local__new`, `${model.name}__shape`, `${model.name}_local__shape`]) {
          await shard.command(`DROP TABLE IF EXISTS ${ident(name)}`);
        }
      }
    }),
  );
  // In dependency order, a model's objects on every shard at once (a cluster model on the first only).
  for (const model of catalog.models) {
    const sql = modelSql(model, catalog, NO_PERIODS);
    const local = model.build === 'sharded' || model.build === 'sharded view' ? `${model.name}_local` : model.name;
    const targets = model.build === 'cluster' ? [first] : dp.shards;
    await Promise.all(
      targets.map(async (shard) => {
        if (model.build === 'view' || model.build === 'sharded view') {
          await shard.command(`CREATE VIEW ${local} AS ${sql}`, MODEL_SETTINGS);
        } else {
          // The table takes its structure from a view of the model: analysed, never run (CREATE TABLE …
          // AS SELECT runs it, over every row, for the no-data month). 18.16 refuses some views (a column
          // qualified by a joined table's alias): those models are run.
          const engine = 'ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY tuple()';
          try {
            await shard.command(`CREATE VIEW ${local}__shape AS ${sql}`, MODEL_SETTINGS);
            await shard.command(`CREATE TABLE ${local} AS ${local}__shape ${engine}`, MODEL_SETTINGS);
          } catch {
            await shard.command(`CREATE TABLE ${local} ${engine} AS ${sql}`, MODEL_SETTINGS);
          } finally {
            await shard.command(`DROP TABLE IF EXISTS ${local}__shape`);
          }
        }
      }),
    );
    if (model.build === 'sharded' || model.build === 'sharded view') {
      // the reading name: every shard's rows
      await Promise.all(
        dp.shards.map(async (shard) => {
          if (dp.settings.cluster) {
            const cols = await shard.query<{ name: string; type: string }>(`DESCRIBE TABLE ${local}`);
            await shard.command(
              `CREATE TABLE ${model.name} (${cols.map((c) => `${ident(c.name)} ${c.type}`).join(', ')}) ` +
                `ENGINE = Distributed(${ident(dp.settings.cluster)}, ${ident(dp.settings.database)}, ${local})`,
            );
          } else {
            await shard.command(`CREATE VIEW ${model.name} AS SELECT * FROM ${local}`);
          }
        }),
      );
    }
  }
}
