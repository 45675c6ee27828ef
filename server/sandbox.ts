// The analyst sandbox: any CSV/TSV/XLSX/Parquet becomes a table to query beside the warehouse — in the
// uploader's own schema sandbox_<user> (sandboxSchema), which no other user sees, or with `shared` in
// sandbox.<name>, which every analyst reads.
// Text files are read as text first and typed afterwards, column by column — BIGINT, DOUBLE, DATE,
// TIMESTAMP, BOOLEAN, else VARCHAR — with whitespace-only cells as null: DuckDB's own sniffer would
// call a numeric column holding a few ' ' cells VARCHAR (the Telco churn file's TotalCharges), and
// numbers with leading zeros are identifiers, kept as text. The file is read as a load reads it
// (ingest/source.ts), under its own column names.
import { basename } from 'node:path';
import { formatFromFileName } from '../ingest/detect.ts';
import { prepareSource } from '../ingest/source.ts';
import { type Warehouse, quoteIdent } from '../warehouse/db.ts';
import type { WorkerPool } from '../workers/pool.ts';
import { HttpError } from './http-error.ts';

export interface SandboxTable {
  /** What to write in SQL: `sandbox_<user>.<name>` (private) or `sandbox.<name>` (shared). */
  table: string;
  shared: boolean;
  rows: number;
  columns: { name: string; type: string }[];
}

/** The shared sandbox, which every analyst (and admin) reads and uploads to with `shared: true`. */
export const SHARED_SANDBOX = 'sandbox';

/**
 * The private sandbox schema of a user: `sandbox_` and the name with every character but a-z and 0-9
 * spelled out ('_' → '__', '.' → '_d', '-' → '_h', an upper-case letter → '_u' and the letter), so
 * two user names never share a schema ('a.b', 'a_b', 'A_b' differ) and the result is a plain
 * identifier. Only that user sees it: GET /api/sandbox, GET /api/schema, the SQL console and its
 * information_schema show each user their own and the shared one.
 */
export function sandboxSchema(user: string): string {
  let out = 'sandbox_';
  for (const ch of user) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (ch === '_') out += '__';
    else if (ch === '.') out += '_d';
    else if (ch === '-') out += '_h';
    else if (/[A-Z]/.test(ch)) out += `_u${ch.toLowerCase()}`;
    else out += `_x${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

/** The sandbox schemas a user may read: their own, then the shared one. */
export function readableSandboxes(user: string): string[] {
  return [sandboxSchema(user), SHARED_SANDBOX];
}

export function parseSandboxName(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new HttpError(400, 'the sandbox table name must be lower-case letters, digits and _ (e.g. churn_2026)');
  }
  return value;
}

const blank = (c: string) => `regexp_full_match(${c}, '\\s*')`;
const text = (c: string) => `(case when ${blank(c)} then null else ${c} end)`;
const value = (c: string) => `trim(${text(c)})`;

/** The candidate types, most specific first, each with its test on a non-blank value `v`. */
const CANDIDATES: [string, (v: string) => string][] = [
  // try_cast would round '29.85' to 30: integers must look like integers.
  ['BIGINT', (v) => `regexp_full_match(${v}, '[+-]?[0-9]+') and try_cast(${v} as bigint) is not null and not regexp_matches(${v}, '^[+-]?0[0-9]')`],
  ['DOUBLE', (v) => `try_cast(${v} as double) is not null and not regexp_matches(${v}, '^[+-]?0[0-9]')`],
  ['DATE', (v) => `try_cast(${v} as date) is not null`],
  ['TIMESTAMP', (v) => `try_cast(${v} as timestamp) is not null`],
  ['BOOLEAN', (v) => `lower(${v}) in ('true', 'false')`],
];

async function typedFromText(wh: Warehouse, relation: string, target: string): Promise<void> {
  // All VARCHAR: DuckDB sniffs the dialect and header only; types are decided below.
  await wh.run(`create or replace temp table sandbox_text as select * from ${relation}`);
  const cols = (await wh.all<{ column_name: string }>('describe sandbox_text')).map((r) => r.column_name);
  const tests = cols.flatMap((c, i) =>
    CANDIDATES.map(([, test], j) => `count(*) filter (where ${value(quoteIdent(c))} is not null and not (${test(value(quoteIdent(c)))})) = 0 as "t${i}_${j}"`),
  );
  const counts = cols.map((c, i) => `count(${value(quoteIdent(c))}) as "n${i}"`);
  const stats = (await wh.one<Record<string, boolean | bigint>>(`select ${[...tests, ...counts].join(', ')} from sandbox_text`))!;
  const select = cols.map((c, i) => {
    const q = quoteIdent(c);
    const nonBlank = Number(stats[`n${i}`]) > 0;
    const j = nonBlank ? CANDIDATES.findIndex((_, k) => stats[`t${i}_${k}`] === true) : -1;
    return j < 0 ? `${text(q)} as ${q}` : `cast(${value(q)} as ${CANDIDATES[j]![0]}) as ${q}`;
  });
  await wh.run(`create or replace table ${target} as select ${select.join(', ')} from sandbox_text`);
  await wh.run('drop table if exists sandbox_text');
}

/**
 * Creates (or replaces) sandbox.<name> from a staged file; runs on the writer, through the queue.
 * Temporary files go to the staging folder (the only one DuckDB may read), GBK and XLSX work to `workers`.
 */
export async function createSandboxTable(wh: Warehouse, file: string, name: string, opts: { schema: string; stagingDir: string; workers: WorkerPool }): Promise<SandboxTable> {
  const target = `${quoteIdent(opts.schema)}.${quoteIdent(name)}`;
  const format = formatFromFileName(file);
  if (!format) throw new HttpError(400, `${basename(file)}: expected a .csv, .tsv, .xlsx or .parquet file`);
  await wh.run(`create schema if not exists ${quoteIdent(opts.schema)}`);
  try {
    const source = await prepareSource(wh, file, { format, columns: 'named', name: basename(file), tempDir: opts.stagingDir, workers: opts.workers });
    try {
      // Parquet carries its own types.
      if (format === 'parquet') await wh.run(`create or replace table ${target} as select * from ${source.relation}`);
      else await typedFromText(wh, source.relation, target);
    } finally {
      source.cleanup();
    }
  } catch (err) {
    throw new HttpError(400, `cannot read ${basename(file)}: ${(err as Error).message.split('\n')[0]}`);
  }
  return describeSandboxTable(wh, opts.schema, name);
}

/** The table `schema.name` (a sandbox schema), or 404. */
export async function describeSandboxTable(wh: Warehouse, schema: string, name: string): Promise<SandboxTable> {
  const columns = await wh.all<{ name: string; type: string }>(
    `select column_name as name, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name = $s and table_name = $t order by column_index`,
    { s: schema, t: name },
  );
  if (columns.length === 0) throw new HttpError(404, `no sandbox table ${name}`);
  const rows = Number((await wh.one<{ n: bigint }>(`select count(*) as n from ${quoteIdent(schema)}.${quoteIdent(name)}`))!.n);
  return { table: `${schema}.${name}`, shared: schema === SHARED_SANDBOX, rows, columns };
}

/** The tables of the given sandbox schemas (a user's own and the shared one), in that order. */
export async function listSandbox(wh: Warehouse, schemas: readonly string[]): Promise<SandboxTable[]> {
  const out: SandboxTable[] = [];
  for (const schema of schemas) {
    const names = await wh.all<{ t: string }>(
      `select table_name as t from duckdb_tables() where database_name = current_database() and schema_name = $s order by t`,
      { s: schema },
    );
    for (const n of names) out.push(await describeSandboxTable(wh, schema, n.t));
  }
  return out;
}
