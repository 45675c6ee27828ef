// POST /api/sql (analysts and admins): one read-only query, as Arrow IPC when asked, else JSON.
// GET /api/schema: what the console may query — tables and views with their columns and types.
import type { Response, Router } from 'express';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { parsePositiveInt } from '../params.ts';
import { PRIVATE_TABLES } from '../sql-guard.ts';
import { readableSandboxes } from '../sandbox.ts';
import { ARROW_STREAM } from '../sql-run.ts';
import { runClickhouseSql } from '../sql-run-clickhouse.ts';
import { consoleSchema } from '../../warehouse/clickhouse/console.ts';
import { withHistory } from '../query-history.ts';

interface SqlParams {
  sql: string;
  limit: number;
  format: 'arrow' | 'json';
}

/**
 * From the answer's first byte, the client has sqlWriteTimeoutMs to take all of it; then the response
 * is cut, which the runner sees as a client gone: it stops and its connection goes back to the pool.
 */
function writeDeadline(ctx: AppContext, res: Response): void {
  let timer: NodeJS.Timeout | undefined;
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    res.writeHead = writeHead;
    timer ??= setTimeout(() => {
      ctx.log.info(`POST /api/sql: the answer was not taken within ${ctx.settings.sqlWriteTimeoutMs / 1000} s; cut`);
      res.destroy();
    }, ctx.settings.sqlWriteTimeoutMs);
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
  const done = () => clearTimeout(timer);
  res.once('finish', done);
  res.once('close', done);
}

export function sqlRoutes(r: Router, ctx: AppContext): void {
  r.post(
    '/api/sql',
    route<SqlParams>(ctx, {
      need: 'sql',
      parse: (req) => {
        const body = req.body as { sql?: unknown; limit?: unknown } | undefined;
        if (!body || typeof body.sql !== 'string') throw new HttpError(400, 'expected {"sql": "...", "limit"?: n} as JSON');
        const limit = body.limit === undefined ? ctx.settings.sqlDefaultLimit : parsePositiveInt(body.limit, 'limit', ctx.settings.sqlMaxLimit);
        const format = (req.headers.accept ?? '').includes(ARROW_STREAM) ? 'arrow' : 'json';
        return { sql: body.sql, limit, format };
      },
      handle: async ({ params, res, who }) => {
        const clickhouse = ctx.writer.clickhouse;
        const job = { ...params, timeoutMs: ctx.settings.sqlTimeoutMs, sandboxes: readableSandboxes(who.name) };
        await withHistory(ctx, who, { sql: params.sql, kind: 'run', format: params.format }, () =>
          ctx.audit.timed(
            who,
            { action: 'sql', detail: { sql: params.sql } },
            (): Promise<{ rows: number; truncated?: boolean; cancelled: boolean }> => {
              // On the ClickHouse engine the console's query goes to the cluster as its readonly user.
              if (clickhouse) {
                writeDeadline(ctx, res);
                return runClickhouseSql(clickhouse, job, res);
              }
              return ctx.sql.use((runner) => {
                writeDeadline(ctx, res);
                return runner.run(job, res);
              });
            },
            (out) => ({ rows: out.rows, ...(out.truncated !== undefined ? { truncated: out.truncated } : {}), ...(out.cancelled ? { cancelled: true } : {}) }),
          ),
        );
        return undefined;
      },
    }),
  );

  r.get(
    '/api/schema',
    route(ctx, {
      need: 'sql',
      handle: async ({ who }) => {
        if (ctx.writer.clickhouse) return { tables: await consoleSchema(ctx.writer.clickhouse) };
        const [own, shared] = readableSandboxes(who.name);
        return ctx.readers.use(async (wh) => {
          const rows = await wh.all<{ schema: string; table: string; kind: string; column: string; type: string; position: number }>(
            `select c.schema_name as schema, c.table_name as "table",
                    case when v.view_name is null then 'table' else 'view' end as kind,
                    c.column_name as "column", c.data_type as type, c.column_index::integer as position
             from duckdb_columns() c
             left join duckdb_views() v on v.database_name = c.database_name and v.schema_name = c.schema_name and v.view_name = c.table_name
             where c.database_name = current_database() and not c.internal and c.schema_name in ('main', $own, $shared)
             order by c.schema_name <> 'main', c.schema_name <> $own, c.table_name, c.column_index`,
            { own: own!, shared: shared! },
          );
          const tables = new Map<string, { schema: string; name: string; kind: string; columns: { name: string; type: string }[] }>();
          for (const row of rows) {
            if (row.schema === 'main' && PRIVATE_TABLES.has(row.table.toLowerCase())) continue;
            const key = `${row.schema}.${row.table}`;
            if (!tables.has(key)) tables.set(key, { schema: row.schema, name: row.table, kind: row.kind, columns: [] });
            tables.get(key)!.columns.push({ name: row.column, type: row.type });
          }
          return { tables: [...tables.values()] };
        });
      },
    }),
  );
}
