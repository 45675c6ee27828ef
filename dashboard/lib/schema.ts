// GET /api/schema, read into one shape whichever way the server groups it, and turned into the
// table → columns map CodeMirror's SQL completion wants.
import type { SchemaMap } from './editor.ts';
import type { SchemaTable } from './types.ts';

export function normalizeSchema(body: unknown): SchemaTable[] {
  const list = Array.isArray(body) ? body : ((body as { tables?: unknown })?.tables ?? []);
  if (!Array.isArray(list)) return [];
  return list
    .map((t) => {
      const table = t as { name?: string; table?: string; table_name?: string; schema?: string; kind?: string; type?: string; columns?: unknown[] };
      const columns = (table.columns ?? []).map((c) => {
        const col = c as { name?: string; column?: string; column_name?: string; type?: string; data_type?: string };
        return { name: col.name ?? col.column ?? col.column_name ?? '', type: col.type ?? col.data_type ?? '' };
      });
      const kind = table.kind ?? table.type;
      return { name: table.name ?? table.table ?? table.table_name ?? '', ...(table.schema ? { schema: table.schema } : {}), ...(kind ? { kind } : {}), columns };
    })
    .filter((t) => t.name);
}

export function completionSchema(tables: readonly SchemaTable[]): SchemaMap {
  return Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
}
