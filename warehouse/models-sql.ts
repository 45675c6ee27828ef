// Reading SQL files that take `$name` parameters: which parameters a text uses (outside comments
// and string literals), splitting multi-statement files, and running a text with exactly the
// parameters it names. Shared by the model runner and the KPI query layer.
import { readFileSync } from 'node:fs';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from './db.ts';

export interface Bindings {
  values: Record<string, DuckDBValue>;
  /** Types DuckDB cannot infer from a JS value (lists, dates): bound explicitly. */
  types?: Record<string, DuckDBType>;
}

export function readSql(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The SQL text without comments and with string literals emptied: what names may be read from. */
export function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*|'(?:[^']|'')*'/g, (m) => (m.startsWith('--') ? '' : "''"));
}

/** Names of the `$name` parameters the text uses, in first-use order. */
export function sqlParameters(sql: string): string[] {
  const names = [...codeOnly(sql).matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1] as string);
  return [...new Set(names)];
}

/** Splits a file into statements at lines holding only ';' (our convention for multi-statement files). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/^\s*;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => codeOnly(s).trim() !== '');
}

/**
 * The subset of `bindings` that `sql` uses. DuckDB refuses both unknown and missing named
 * parameters, so a text is always run with exactly what it names; a missing one is our bug.
 */
export function bindingsFor(sql: string, bindings: Bindings, label = 'query'): Bindings {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const name of sqlParameters(sql)) {
    if (!(name in bindings.values)) throw new Error(`${label} uses $${name}, which is not bound`);
    values[name] = bindings.values[name] as DuckDBValue;
    const type = bindings.types?.[name];
    if (type) types[name] = type;
  }
  return { values, types };
}

/** Runs one statement with the parameters it names; returns the number of rows it changed. */
export async function execSql(wh: Warehouse, sql: string, bindings: Bindings, label?: string): Promise<number> {
  const b = bindingsFor(sql, bindings, label);
  const result = await wh.conn.run(sql, b.values, b.types);
  return result.rowsChanged;
}

/** Runs a query with the parameters it names and returns its rows as DuckDB values (no lossy conversion). */
export async function querySql(
  wh: Warehouse,
  sql: string,
  bindings: Bindings,
  label?: string,
): Promise<Record<string, DuckDBValue>[]> {
  const b = bindingsFor(sql, bindings, label);
  const reader = await wh.conn.runAndReadAll(sql, b.values, b.types);
  return reader.getRowObjects();
}
