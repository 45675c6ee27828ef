// The SQL console beyond one answer (analysts and admins):
// POST /api/sql/export {sql, format: csv|xlsx|parquet} — the whole result as a streamed file download,
//   under the same guard as /api/sql (server/sql-export.ts; on the ClickHouse engine
//   server/sql-export-clickhouse.ts: CSV and XLSX from the cluster, Parquet refused);
// GET/POST /api/queries, DELETE /api/queries/{id} — saved queries: the caller's own and the shared
//   ones; only the owner or an admin deletes one;
// GET /api/queries/history[?limit] — what the caller ran and exported, newest first.
import type { Router } from 'express';
import { shanghaiTimestamp } from '../../domain/time.ts';
import { deleteSavedQuery, getSavedQuery, listHistory, listSavedQueries, saveQuery } from '../../warehouse/saved-queries.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http-error.ts';
import { onlyParams, parseEnum, parsePositiveInt, queryString } from '../params.ts';
import { withHistory } from '../query-history.ts';
import { readableSandboxes } from '../sandbox.ts';
import { EXPORT_FORMATS, type ExportFormat, runExport } from '../sql-export.ts';
import { runClickhouseExport } from '../sql-export-clickhouse.ts';
import { MAX_SQL_LENGTH } from '../sql-guard.ts';

const MAX_NAME = 200;

function bad(message: string): never {
  throw new HttpError(400, message);
}

/** 'query-20261202-101500' in Shanghai time. */
function exportFileName(now: Date): string {
  return `query-${shanghaiTimestamp(now).replace(/[-:]/g, '').replace(' ', '-')}`;
}

export function queryRoutes(r: Router, ctx: AppContext): void {
  r.post(
    '/api/sql/export',
    route<{ sql: string; format: ExportFormat }>(ctx, {
      need: 'sql',
      parse: (req) => {
        const body = req.body as { sql?: unknown; format?: unknown } | undefined;
        if (!body || typeof body.sql !== 'string' || typeof body.format !== 'string') bad('expected {"sql": "...", "format": "csv" | "xlsx" | "parquet"} as JSON');
        return { sql: body.sql, format: parseEnum(body.format, EXPORT_FORMATS, 'format') };
      },
      handle: async ({ params, res, who }) => {
        await withHistory(ctx, who, { sql: params.sql, kind: 'export', format: params.format }, () =>
          ctx.audit.timed(
            who,
            { action: 'sql_export', detail: { sql: params.sql, format: params.format } },
            () => {
              const job = {
                ...params,
                maxRows: ctx.settings.exportMaxRows,
                timeoutMs: ctx.settings.exportTimeoutMs,
                stagingDir: ctx.settings.stagingDir,
                fileName: exportFileName(ctx.now()),
                sandboxes: readableSandboxes(who.name),
              };
              // On the ClickHouse engine the data are on the cluster: streamed from there (sql-export-clickhouse.ts).
              const ch = ctx.writer.clickhouse;
              if (ch) return runClickhouseExport(ch, job, res);
              return ctx.sql.use((runner) => runExport(runner.conn, job, res));
            },
            (out) => ({ rows: out.rows, truncated: out.truncated, ...(out.cancelled ? { cancelled: true } : {}) }),
          ),
        );
        return undefined;
      },
    }),
  );

  r.get(
    '/api/queries',
    route(ctx, {
      need: 'sql',
      parse: (req) => {
        onlyParams(req, []);
        return {};
      },
      handle: async ({ who }) => ({ queries: await listSavedQueries(ctx.authDb, who.name) }),
    }),
  );

  r.post(
    '/api/queries',
    route<{ name: string; sql: string; shared: boolean }>(ctx, {
      need: 'sql',
      parse: (req) => {
        const body = req.body as { name?: unknown; sql?: unknown; shared?: unknown } | undefined;
        if (!body || typeof body.name !== 'string' || typeof body.sql !== 'string') bad('expected {"name": "...", "sql": "...", "shared": true | false} as JSON');
        const name = body.name.trim();
        if (!name) bad('name must not be empty');
        if ([...name].length > MAX_NAME) bad(`name is longer than ${MAX_NAME} characters`);
        if (!body.sql.trim()) bad('sql must not be empty');
        if (body.sql.length > MAX_SQL_LENGTH) bad(`sql is longer than ${MAX_SQL_LENGTH.toLocaleString('en')} characters`);
        if (body.shared !== undefined && typeof body.shared !== 'boolean') bad('shared must be true or false');
        return { name, sql: body.sql, shared: body.shared ?? false };
      },
      handle: async ({ params, who, res }) => {
        const saved = await saveQuery(ctx.authDb, { owner: who.name, ...params }, ctx.now());
        res.status(201);
        return saved;
      },
    }),
  );

  r.delete(
    '/api/queries/:id',
    route<{ id: number }>(ctx, {
      need: 'sql',
      parse: (req) => {
        const raw = String(req.params.id);
        if (!/^\d{1,15}$/.test(raw)) bad(`id must be a positive integer, got ${JSON.stringify(raw)}`);
        return { id: Number(raw) };
      },
      handle: async ({ params, who, res }) => {
        const q = await getSavedQuery(ctx.authDb, params.id);
        // Another analyst's private query does not exist for the caller.
        if (!q || (q.owner !== who.name && !q.shared && who.role !== 'admin')) throw new HttpError(404, `no saved query ${params.id}`);
        if (q.owner !== who.name && who.role !== 'admin') throw new HttpError(403, `only ${q.owner} or an admin may delete this query / 只有创建者或管理员可以删除`);
        await deleteSavedQuery(ctx.authDb, params.id);
        res.status(204).end();
        return undefined;
      },
    }),
  );

  r.get(
    '/api/queries/history',
    route<{ limit: number }>(ctx, {
      need: 'sql',
      parse: (req) => {
        onlyParams(req, ['limit']);
        const limit = queryString(req, 'limit');
        return { limit: limit === undefined ? 100 : parsePositiveInt(limit, 'limit', 500) };
      },
      handle: async ({ params, who }) => ({ history: await listHistory(ctx.authDb, who.name, params.limit) }),
    }),
  );
}
