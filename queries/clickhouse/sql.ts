// The KPI queries of the ClickHouse engine (WAREHOUSE_ENGINE=clickhouse): the same questions as
// ../*.sql over the marts the ClickHouse models build on the first shard. ClickHouse 18.16 has no
// query parameters, so a value enters only as `{name}`, filled with the data plane's `literal()`
// after kpis.ts has checked it, and an identifier only as `{{name}}`, filled with `ident()` after
// the caller has checked it against a fixed list. The figures come back as JSON: counts as numbers
// (output_format_json_quote_64bit_integers=0), Decimal money as its exact decimal text read as the
// nearest double (what ../sql.ts makes of DuckDB's DECIMAL), Float64 ratios as they are.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ident, literal } from '../../warehouse/clickhouse/data-plane.ts';

const DIR = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, string>();

/** What the queries need of the data plane: a read on the first shard. */
export interface ChReader {
  query<T = Record<string, unknown>>(sql: string, settings?: Record<string, unknown>): Promise<T[]>;
}

export const READ_SETTINGS = { output_format_json_quote_64bit_integers: 0, output_format_json_quote_denormals: 1 } as const;

export type ChRow = Record<string, unknown>;

/** The text of clickhouse/NAME.sql with `{{id}}` identifiers and `{value}` literals filled in. */
export function chQueryText(name: string, values: Record<string, string>, identifiers: Record<string, string> = {}): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(join(DIR, `${name}.sql`), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n');
    cache.set(name, sql);
  }
  return sql
    .replace(/\{\{(\w+)\}\}/g, (_m, id: string) => {
      const v = identifiers[id];
      if (v === undefined) throw new Error(`query clickhouse/${name} needs the identifier {{${id}}}`);
      return ident(v);
    })
    .replace(/\{(\w+)\}/g, (_m, id: string) => {
      const v = values[id];
      if (v === undefined) throw new Error(`query clickhouse/${name} needs the value {${id}}`);
      return literal(v);
    });
}

export function runChQuery(
  dp: ChReader,
  name: string,
  values: Record<string, string>,
  identifiers: Record<string, string> = {},
): Promise<ChRow[]> {
  return dp.query<ChRow>(chQueryText(name, values, identifiers), READ_SETTINGS);
}

/** A figure of a ClickHouse answer as the API gives it: a number, or null (NaN and infinities too). */
export function chKpiNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

const tables = new WeakMap<ChReader, Map<string, string[]>>();

/** The columns of a model table on the first shard, [] when it is not built yet. */
export async function chColumns(dp: ChReader, table: string): Promise<string[]> {
  let known = tables.get(dp);
  if (!known) tables.set(dp, (known = new Map()));
  const hit = known.get(table);
  if (hit) return hit;
  const rows = await dp.query<{ name: string }>(
    `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = ${literal(table)}`,
  );
  const cols = rows.map((r) => r.name);
  if (cols.length > 0) known.set(table, cols);
  return cols;
}
