// The query files of this folder: read once, identifiers put in only through quoteIdent, values
// always bound as $parameters; and the one conversion of DuckDB values to what the API returns.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBDecimalValue, type DuckDBValue } from '@duckdb/node-api';
import { quoteIdent, type Warehouse } from '../warehouse/db.ts';
import { querySql, readSql, type Bindings } from '../warehouse/models-sql.ts';

const DIR = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, string>();

/** The text of queries/NAME.sql, with each `{{name}}` replaced by the quoted identifier given for it. */
export function queryText(name: string, identifiers: Record<string, string> = {}): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readSql(join(DIR, `${name}.sql`));
    cache.set(name, sql);
  }
  return sql.replace(/\{\{(\w+)\}\}/g, (_m, id: string) => {
    const value = identifiers[id];
    if (value === undefined) throw new Error(`query ${name} needs the identifier {{${id}}}`);
    return quoteIdent(value);
  });
}

export async function runQuery(
  wh: Warehouse,
  name: string,
  values: Bindings['values'],
  identifiers: Record<string, string> = {},
): Promise<Record<string, DuckDBValue>[]> {
  return querySql(wh, queryText(name, identifiers), { values }, name);
}

/**
 * A KPI value as the API gives it. Counts (BIGINT/HUGEINT) become numbers — every count of this
 * warehouse is far below 2^53; DECIMAL money goes through its exact decimal text, so 1234.56 is the
 * double nearest to 1234.56 and never a float sum's residue; DOUBLE ratios stay as they are, with
 * NaN or infinity (which the SQL never means to produce) as null; null stays null.
 */
export function toKpiNumber(value: DuckDBValue): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new Error(`not a KPI value: ${String(value)}`);
}

/** A cell of a breakdown row: numbers as toKpiNumber, text as text. */
export function toCell(value: DuckDBValue): number | string | null {
  return typeof value === 'string' ? value : toKpiNumber(value);
}

export async function tableExists(wh: Warehouse, name: string): Promise<boolean> {
  const row = await wh.one<{ n: bigint }>(`select count(*) as n from duckdb_tables() where table_name = $t`, { t: name });
  return (row?.n ?? 0n) > 0n;
}
