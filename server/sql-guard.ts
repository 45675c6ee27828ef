// Ad-hoc SQL is read-only by construction. This is the first of three layers: DuckDB's own parser
// (json_serialize_sql) must accept the text as exactly one SELECT/WITH statement — it serialises
// nothing else, so COPY, ATTACH, INSTALL/LOAD, SET/PRAGMA, EXPORT, CHECKPOINT, DDL, DML and
// transactions never get here — and every name in its syntax tree must be allowed: tables and views
// of the warehouse minus the private ones (users, sessions, the audit log), the caller's own sandbox
// schema and the shared one, the CTEs in
// scope where they are read, and a short list of table functions that touch neither files, network
// nor environment; information_schema.tables and .columns too, narrowed to those same tables before
// the text runs (narrowInformationSchema).
// Layer two: the database runs with enable_external_access = false and allowed_directories = the
// staging folder (server/lockdown.ts). Layer three: the query runs in a READ ONLY transaction, so
// even a side-effecting function (nextval) cannot write.
import type { DuckDBConnection } from '@duckdb/node-api';
import { HttpError } from './http-error.ts';

/** Tables ad-hoc SQL and the schema endpoint never show: credentials, server state, each analyst's queries and history, the audit log. */
export const PRIVATE_TABLES = new Set(['users', 'sessions', 'app_settings', 'saved_queries', 'query_history', 'audit_log']);

/** Table functions that only compute: no read_*, glob, query, duckdb_* catalog functions, etc. */
const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest', 'json_each', 'json_tree']);

/** Scalar functions about the environment or with side effects (writes are also stopped by layer three). */
const SCALAR_DENIED = new Set(['getenv', 'current_setting', 'nextval', 'setval', 'currval']);

/** Table reference types of DuckDB's serialised tree that can only reach what their children reach. */
const PLAIN_REFS = new Set(['JOIN', 'SUBQUERY', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT', 'COLUMN_DATA']);
const CHECKED_REFS = new Set(['BASE_TABLE', 'TABLE_FUNCTION', 'SHOW_REF']);

export const MAX_SQL_LENGTH = 100_000;

export interface Visible {
  /** The warehouse's catalog (database) name, e.g. 'warehouse' for warehouse.duckdb. */
  catalog: string;
  /** Lower-case 'schema.table' of every table and view a query may read. */
  tables: Set<string>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Lists what ad-hoc SQL may read: the main schema minus the private tables, and the sandbox schemas
 * given — the caller's own and the shared one (server/sandbox.ts readableSandboxes); no other user's.
 */
export async function visibleTables(conn: DuckDBConnection, sandboxes: readonly string[] = ['sandbox']): Promise<Visible> {
  const readable = new Set(sandboxes.map((s) => s.toLowerCase()));
  const reader = await conn.runAndReadAll(
    `select current_database() as db, schema_name, table_name from duckdb_tables() where database_name = current_database() and not temporary
     union all
     select current_database(), schema_name, view_name from duckdb_views() where database_name = current_database() and not internal and not temporary`,
  );
  const rows = reader.getRowObjectsJS() as { db: string; schema_name: string; table_name: string }[];
  const tables = new Set<string>();
  for (const r of rows) {
    const schema = r.schema_name.toLowerCase();
    const table = r.table_name.toLowerCase();
    if ((schema === 'main' && !PRIVATE_TABLES.has(table)) || readable.has(schema)) tables.add(`${schema}.${table}`);
  }
  const catalog = (rows[0]?.db ?? (await conn.runAndReadAll('select current_database() as db')).getRowsJS()[0]?.[0]) as string;
  return { catalog: String(catalog).toLowerCase(), tables };
}

/** A query the console will not run (not a SELECT, a name it may not read, …): 400, and 'refused' in the audit log. */
export class SqlRefused extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

function refuse(message: string): never {
  throw new SqlRefused(message);
}

/**
 * A reference to information_schema.tables or .columns, which the console reads narrowed to what it
 * may read (narrowInformationSchema): where it sits in the text, in UTF-8 bytes.
 */
export interface CatalogViewRef {
  offset: number;
  length: number;
  view: 'tables' | 'columns';
  /** Whether the query names the reference itself (… tables t); if not it keeps the name tables/columns. */
  aliased: boolean;
}

interface WalkContext {
  visible: Visible;
  text: Buffer;
  found: CatalogViewRef[];
}

/**
 * Parses with DuckDB and checks the tree; throws HttpError(400) with a reason the analyst can act on.
 * Returns the information_schema references, which must be narrowed before the text runs.
 */
export async function checkSql(conn: DuckDBConnection, sql: string, visible: Visible): Promise<CatalogViewRef[]> {
  if (sql.length > MAX_SQL_LENGTH) refuse(`the query is longer than ${MAX_SQL_LENGTH.toLocaleString('en')} characters`);
  if (sql.includes('\u0000')) refuse('the query contains a NUL character');
  if (!sql.trim()) refuse('the query is empty');
  const reader = await conn.runAndReadAll('select json_serialize_sql($sql::varchar) as tree', { sql });
  const tree = JSON.parse(String(reader.getRowsJS()[0]?.[0])) as { error: boolean; error_message?: string; error_type?: string; statements?: Json[] };
  if (tree.error) {
    if (/only select statements/i.test(tree.error_message ?? '')) refuse('only a single SELECT (or WITH … SELECT) query is allowed: the SQL console is read-only');
    refuse(`syntax error: ${(tree.error_message ?? 'cannot parse the query').split('\n')[0]}`);
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) refuse(`exactly one statement is allowed, got ${statements.length}`);
  const ctx: WalkContext = { visible, text: Buffer.from(sql, 'utf8'), found: [] };
  walk(statements[0]!, new Set(), ctx);
  return ctx.found;
}

/**
 * The names a query node's WITH declares, in order. CTE names are plain identifiers that shadow no
 * private table: a reference the walk takes for a CTE can then only be that CTE or a readable table,
 * never a file path or a credential table.
 */
function declaredCtes(node: { [key: string]: Json }): { name: string; value: Json }[] {
  const map = (node.cte_map as { map?: { key: string; value: Json }[] } | undefined)?.map ?? [];
  return map.map((entry) => {
    const name = String(entry.key);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) refuse(`CTE names must be plain identifiers: ${JSON.stringify(name)}`);
    if (PRIVATE_TABLES.has(name.toLowerCase())) refuse(`a CTE may not be named ${name}`);
    return { name: name.toLowerCase(), value: entry.value };
  });
}

/**
 * Walks the tree with the CTE names in scope, as DuckDB binds them: a CTE is visible only inside the
 * query node that declares it (its body, later CTEs of the same WITH, subqueries of either), and a
 * recursive CTE's own name only in the recursive side of its UNION. Anywhere else the same name goes
 * to the catalog (e.g. duckdb_databases declared inside an EXISTS and read outside it), so it is
 * checked as a table there. `recursiveSelf` names the CTE whose RECURSIVE_CTE_NODE `node` is.
 */
function walk(node: Json, ctes: ReadonlySet<string>, ctx: WalkContext, tableSlot = false, recursiveSelf?: string): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, ctes, ctx);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const type = typeof node.type === 'string' ? node.type : null;
  const isExpression = typeof node.class === 'string';
  if (isExpression && node.class === 'FUNCTION') {
    const name = String(node.function_name).toLowerCase();
    if (SCALAR_DENIED.has(name)) refuse(`function ${name}() is not allowed in the SQL console`);
  }
  const isRef = !isExpression && type !== null && (PLAIN_REFS.has(type) || CHECKED_REFS.has(type));
  // Where a table reference must be (FROM, the sides of a join, a pivot's source), an unknown kind
  // of reference is refused rather than trusted.
  if (tableSlot && !isRef) refuse(`unsupported table reference ${type ?? 'of unknown kind'}`);
  if (isRef) {
    if (type === 'BASE_TABLE') checkTable(node, ctes, ctx);
    else if (type === 'TABLE_FUNCTION') checkTableFunction(node);
    else if (type === 'SHOW_REF' && !node.query) {
      // DESCRIBE/SUMMARIZE of a query are fine (the query is checked); SHOW TABLES & co. are not.
      refuse('SHOW is not available here; GET /api/schema lists the tables');
    }
  }
  // A query node's WITH: each CTE's body sees the CTEs declared before it; the rest of the node sees all.
  let inner = ctes;
  if (!isExpression && 'cte_map' in node) {
    const scope = new Set(ctes);
    for (const { name, value } of declaredCtes(node)) {
      const statement = (value as { query?: { [key: string]: Json } } | null)?.query;
      const root = statement?.node as { type?: string; cte_name?: string } | undefined;
      const recursive = root?.type === 'RECURSIVE_CTE_NODE' && String(root.cte_name).toLowerCase() === name;
      if (recursive) {
        // The statement's root is the UNION whose right side may read the CTE itself.
        for (const [key, child] of Object.entries(value as { [key: string]: Json })) {
          if (key !== 'query') walk(child, scope, ctx);
        }
        for (const [key, child] of Object.entries(statement!)) walk(child, scope, ctx, false, key === 'node' ? name : undefined);
      } else {
        walk(value, scope, ctx);
      }
      scope.add(name);
    }
    inner = scope;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'cte_map') continue;
    const slot = key === 'from_table' || (isRef && type === 'JOIN' && (key === 'left' || key === 'right')) || (isRef && type === 'PIVOT' && key === 'source');
    const scope = recursiveSelf && type === 'RECURSIVE_CTE_NODE' && key === 'right' ? new Set([...inner, recursiveSelf]) : inner;
    walk(value, scope, ctx, slot && value !== null);
  }
}

function checkTable(node: { [key: string]: Json }, ctes: ReadonlySet<string>, ctx: WalkContext): void {
  const visible = ctx.visible;
  const catalog = String(node.catalog_name ?? '').toLowerCase();
  const schema = String(node.schema_name ?? '').toLowerCase();
  const table = String(node.table_name ?? '').toLowerCase();
  const shown = [node.catalog_name, node.schema_name, node.table_name].filter((p) => p).join('.');
  if (!catalog && !schema && ctes.has(table)) return;
  if (!catalog && schema === 'information_schema' && (table === 'tables' || table === 'columns')) {
    ctx.found.push(locateCatalogView(node, ctx.text, table));
    return;
  }
  if (catalog && catalog !== visible.catalog) refuse(`unknown table ${shown}: only this warehouse can be queried`);
  if (!visible.tables.has(`${schema || 'main'}.${table}`)) {
    refuse(/[/\\.:]/.test(table) ? `files cannot be read from the SQL console: ${shown}` : `unknown table ${shown} (GET /api/schema lists the tables)`);
  }
}

function checkTableFunction(node: { [key: string]: Json }): void {
  const fn = node.function as { function_name?: string; schema?: string; catalog?: string } | undefined;
  const name = String(fn?.function_name ?? '').toLowerCase();
  if (!TABLE_FUNCTIONS.has(name) || fn?.schema || fn?.catalog) {
    refuse(`table function ${name}() is not allowed: only ${[...TABLE_FUNCTIONS].join(', ')}; files, network and environment are out of reach`);
  }
}

/** Where the reference's `information_schema . tables` is in the text; refused if it cannot be told. */
function locateCatalogView(node: { [key: string]: Json }, text: Buffer, view: 'tables' | 'columns'): CatalogViewRef {
  const offset = Number(node.query_location);
  const match = Number.isSafeInteger(offset) ? /^("?)information_schema\1\s*\.\s*("?)(tables|columns)\2/i.exec(text.subarray(offset).toString('utf8')) : null;
  if (!match || match[3]!.toLowerCase() !== view) refuse(`write information_schema.${view} plainly (no comments inside the name)`);
  return { offset, length: Buffer.byteLength(match[0], 'utf8'), view, aliased: Boolean(node.alias) };
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The text to run: each information_schema.tables / .columns reference replaced by the same view
 * narrowed to the tables and views the console may read (what GET /api/schema lists) — never the
 * private tables, another database or the temporary catalog.
 */
export function narrowInformationSchema(sql: string, refs: CatalogViewRef[], visible: Visible): string {
  if (refs.length === 0) return sql;
  const bySchema = new Map<string, string[]>();
  for (const name of visible.tables) {
    const dot = name.indexOf('.');
    const schema = name.slice(0, dot);
    bySchema.set(schema, [...(bySchema.get(schema) ?? []), sqlString(name.slice(dot + 1))]);
  }
  const schemas = [...bySchema].map(([schema, tables]) => `(lower(table_schema) = ${sqlString(schema)} and lower(table_name) in (${tables.join(', ')}))`);
  const readable = `table_catalog = ${sqlString(visible.catalog)} and (${schemas.join(' or ') || 'false'})`;
  let text = Buffer.from(sql, 'utf8');
  // From the end, so earlier offsets hold; one replacement per place, should a node ever repeat.
  const byOffset = new Map(refs.map((ref) => [ref.offset, ref]));
  for (const ref of [...byOffset.values()].sort((a, b) => b.offset - a.offset)) {
    const narrowed = `(select * from system.information_schema.${ref.view} where ${readable})${ref.aliased ? '' : ` as ${ref.view}`}`;
    text = Buffer.concat([text.subarray(0, ref.offset), Buffer.from(narrowed, 'utf8'), text.subarray(ref.offset + ref.length)]);
  }
  return text.toString('utf8');
}
