// The analyst sandbox: any CSV/TSV/XLSX/Parquet becomes sandbox.<name>, to query beside the warehouse.
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
  table: string;
  rows: number;
  columns: { name: string; type: string }[];
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
export async function createSandboxTable(wh: Warehouse, file: string, name: string, opts: { stagingDir: string; workers: WorkerPool }): Promise<SandboxTable> {
  const target = `sandbox.${quoteIdent(name)}`;
  const format = formatFromFileName(file);
  if (!format) throw new HttpError(400, `${basename(file)}: expected a .csv, .tsv, .xlsx or .parquet file`);
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
  return describeSandboxTable(wh, name);
}

export async function describeSandboxTable(wh: Warehouse, name: string): Promise<SandboxTable> {
  const columns = await wh.all<{ name: string; type: string }>(
    `select column_name as name, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name = 'sandbox' and table_name = $t order by column_index`,
    { t: name },
  );
  if (columns.length === 0) throw new HttpError(404, `no sandbox table ${name}`);
  const rows = Number((await wh.one<{ n: bigint }>(`select count(*) as n from sandbox.${quoteIdent(name)}`))!.n);
  return { table: `sandbox.${name}`, rows, columns };
}

export async function listSandbox(wh: Warehouse): Promise<SandboxTable[]> {
  const names = await wh.all<{ t: string }>(
    `select table_name as t from duckdb_tables() where database_name = current_database() and schema_name = 'sandbox' order by t`,
  );
  const out: SandboxTable[] = [];
  for (const n of names) out.push(await describeSandboxTable(wh, n.t));
  return out;
}
