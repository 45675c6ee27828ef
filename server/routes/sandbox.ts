// The analyst sandbox over HTTP: POST /api/sandbox (multipart: `name`, `file`, `shared`?),
// GET /api/sandbox, DELETE /api/sandbox/{name}[?shared=true]. A table lands in the uploader's own
// schema sandbox_<user> — no other user can read, list or replace it — or, with shared=true, in the
// shared schema sandbox, which every analyst reads. Uploads and deletions go into the audit log.
import type { Router } from 'express';
import { quoteIdent } from '../../warehouse/db.ts';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { onlyParams, queryString } from '../params.ts';
import { SHARED_SANDBOX, createSandboxTable, describeSandboxTable, listSandbox, parseSandboxName, readableSandboxes, sandboxSchema } from '../sandbox.ts';
import { receiveUpload } from '../upload.ts';

/** `shared`: absent, 'false' or '0' → the user's own schema; 'true' or '1' → the shared one. */
function parseShared(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new HttpError(400, 'shared must be true or false / shared 应为 true 或 false');
}

export function sandboxRoutes(r: Router, ctx: AppContext): void {
  r.post(
    '/api/sandbox',
    route(ctx, {
      need: 'sql',
      handle: async ({ req, who }) => {
        const upload = await receiveUpload(req, { stagingDir: ctx.settings.stagingDir, fileField: 'file', maxBytes: ctx.settings.maxUploadBytes, maxFiles: 1 });
        try {
          const name = parseSandboxName(upload.fields.name);
          const shared = parseShared(upload.fields.shared);
          const file = upload.files[0];
          if (!file) throw new HttpError(400, 'no file in field "file"');
          const schema = shared ? SHARED_SANDBOX : sandboxSchema(who.name);
          return await ctx.audit.timed(
            who,
            { action: 'sandbox_upload', target: `${schema}.${name}`, detail: { file: file.name, shared } },
            () => ctx.queue.run(() => createSandboxTable(ctx.writer, file.path, name, { schema, stagingDir: ctx.settings.stagingDir, workers: ctx.workers })),
            (t) => ({ rows: t.rows }),
          );
        } finally {
          upload.remove();
        }
      },
    }),
  );

  r.get(
    '/api/sandbox',
    route(ctx, {
      need: 'sql',
      handle: async ({ who }) => ({ tables: await ctx.readers.use((wh) => listSandbox(wh, readableSandboxes(who.name))) }),
    }),
  );

  r.delete(
    '/api/sandbox/:name',
    route<{ name: string; shared: boolean }>(ctx, {
      need: 'sql',
      parse: (req) => {
        onlyParams(req, ['shared']);
        return { name: parseSandboxName(req.params.name), shared: parseShared(queryString(req, 'shared')) };
      },
      handle: async ({ params, who }) => {
        const schema = params.shared ? SHARED_SANDBOX : sandboxSchema(who.name);
        await ctx.audit.timed(who, { action: 'sandbox_delete', target: `${schema}.${params.name}` }, () =>
          ctx.queue.run(async () => {
            await describeSandboxTable(ctx.writer, schema, params.name);
            await ctx.writer.run(`drop table ${quoteIdent(schema)}.${quoteIdent(params.name)}`);
          }),
        );
        return { ok: true };
      },
    }),
  );
}
