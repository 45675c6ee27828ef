// POST /api/ingest: files uploaded (multipart, field `files`, optional `kind`, `encoding`, `sheet`)
// or — for the CLI holding the server token — local paths, linked into staging. Answers with the
// CLI's --json summary; a refused file is a status inside it. GET /api/loads and
// /api/loads/{id}/rejects feed the data page.
import type { Router } from 'express';
import { parseEncoding, parseKind } from '../../ingest/detect.ts';
import { HttpError } from '../http-error.ts';
import { errorMessage } from '../../warehouse/errors.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { type LoadRequest, summary } from '../ingest-service.ts';
import { jsonSafe } from '../json-values.ts';
import { onlyParams, parsePositiveInt, queryString } from '../params.ts';
import { type StagedFile, stageLocalFile } from '../staging.ts';
import { receiveUpload } from '../upload.ts';

function loadOptions(fields: Record<string, unknown>): LoadRequest {
  const opts: LoadRequest = {};
  try {
    if (typeof fields.kind === 'string' && fields.kind) opts.kind = parseKind(fields.kind);
    if (typeof fields.encoding === 'string' && fields.encoding) opts.encoding = parseEncoding(fields.encoding);
  } catch (err) {
    throw new HttpError(400, errorMessage(err));
  }
  if (typeof fields.sheet === 'string') opts.sheet = fields.sheet;
  return opts;
}

export function ingestRoutes(r: Router, ctx: AppContext): void {
  r.post(
    '/api/ingest',
    route(ctx, {
      need: 'ingest',
      handle: async ({ req, who }) => {
        let files: StagedFile[];
        let opts: LoadRequest;
        if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
          // Paths on this machine: only the CLIs (server token) may name them.
          if (who.via !== 'token') throw new HttpError(403, 'only the command-line tools may name local paths; upload the files instead');
          const body = req.body as { paths?: { path?: unknown; name?: unknown }[] } & Record<string, unknown>;
          if (!Array.isArray(body?.paths) || body.paths.some((p) => typeof p?.path !== 'string' || typeof p?.name !== 'string')) {
            throw new HttpError(400, 'expected {"paths":[{"path","name"}], "kind"?, "encoding"?, "sheet"?}');
          }
          opts = loadOptions(body);
          files = body.paths.map((p) => stageLocalFile(ctx.settings.stagingDir, p.path as string, p.name as string));
        } else {
          const upload = await receiveUpload(req, { stagingDir: ctx.settings.stagingDir, fileField: 'files', maxBytes: ctx.settings.maxUploadBytes });
          try {
            opts = loadOptions(upload.fields);
          } catch (err) {
            upload.remove();
            throw err;
          }
          if (upload.files.length === 0) {
            upload.remove();
            throw new HttpError(400, 'no file in field "files"');
          }
          files = upload.files.map((f, i) => ({ ...f, cleanup: i === upload.files.length - 1 ? upload.remove : () => undefined }));
        }
        const out = { files: (await ctx.ingest.ingest(files, opts)).map(summary) };
        ctx.audit.record(who, { action: 'ingest', target: out.files.map((f) => f.file).join(', '), detail: { ...opts, files: jsonSafe(out.files) }, status: out.files.every((f) => f.status !== 'refused') ? 'ok' : 'refused' });
        return out;
      },
    }),
  );

  r.get(
    '/api/loads',
    route<{ limit: number }>(ctx, {
      need: 'ingest',
      parse: (req) => {
        onlyParams(req, ['limit']);
        const limit = queryString(req, 'limit');
        return { limit: limit === undefined ? 200 : parsePositiveInt(limit, 'limit', 10_000) };
      },
      handle: async ({ params }) =>
        ctx.readers.use(async (wh) => {
          const loads = await wh.all(
            `select l.load_id, l.file_name as file, l.kind, l.format, l.encoding, l.status, l.rows_total, l.rows_loaded, l.rows_rejected,
                    l.duplicate_of, l.message, strftime(l.started_at, '%Y-%m-%d %H:%M:%S') as started_at,
                    strftime(l.finished_at, '%Y-%m-%d %H:%M:%S') as finished_at,
                    coalesce(bool_and(s.superseded_by_load is not null), false) and count(s.load_id) > 0 as superseded,
                    coalesce(list({'kind': s.kind, 'region_code': s.region_code, 'period': coalesce(s.period_text, strftime(s.period, '%Y-%m')), 'rows': s.rows,
                                   'superseded_by_load': s.superseded_by_load} order by s.period, s.region_code)
                             filter (where s.load_id is not null), []) as slices
             from loads l left join load_slices s using (load_id)
             group by all order by l.load_id desc limit $limit`,
            { limit: params.limit },
          );
          return { loads: jsonSafe(loads) };
        }),
    }),
  );

  r.get(
    '/api/loads/:id/rejects',
    route<{ id: number; limit: number }>(ctx, {
      need: 'ingest',
      parse: (req) => {
        onlyParams(req, ['limit']);
        const id = String(req.params.id);
        if (!/^\d{1,15}$/.test(id)) throw new HttpError(400, 'the load id must be a positive integer');
        const limit = queryString(req, 'limit');
        return { id: Number(id), limit: limit === undefined ? 1000 : parsePositiveInt(limit, 'limit', 100_000) };
      },
      handle: async ({ params }) =>
        ctx.readers.use(async (wh) => {
          const load = await wh.one<{ rows_rejected: bigint | null }>('select rows_rejected from loads where load_id = $id', { id: params.id });
          if (!load) throw new HttpError(404, `no load ${params.id}`);
          const rejects = await wh.all(
            `select line, "column", value, reason, message from rejects where load_id = $id order by line, "column" limit $limit`,
            { id: params.id, limit: params.limit + 1 },
          );
          const truncated = rejects.length > params.limit;
          return { load_id: params.id, rejects: jsonSafe(rejects.slice(0, params.limit)), truncated };
        }),
    }),
  );
}
