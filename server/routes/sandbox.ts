// The analyst sandbox over HTTP: POST /api/sandbox (multipart: `name`, `file`), GET /api/sandbox,
// DELETE /api/sandbox/{name}. Tables land in the sandbox schema, readable by the SQL console.
import type { Router } from 'express';
import { quoteIdent } from '../../warehouse/db.ts';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { createSandboxTable, describeSandboxTable, listSandbox, parseSandboxName } from '../sandbox.ts';
import { receiveUpload } from '../upload.ts';

export function sandboxRoutes(r: Router, ctx: AppContext): void {
  r.post(
    '/api/sandbox',
    route(ctx, {
      need: 'sql',
      handle: async ({ req }) => {
        const upload = await receiveUpload(req, { stagingDir: ctx.settings.stagingDir, fileField: 'file', maxBytes: ctx.settings.maxUploadBytes, maxFiles: 1 });
        try {
          const name = parseSandboxName(upload.fields.name);
          const file = upload.files[0];
          if (!file) throw new HttpError(400, 'no file in field "file"');
          return await ctx.queue.run(() => createSandboxTable(ctx.writer, file.path, name, { stagingDir: ctx.settings.stagingDir, workers: ctx.workers }));
        } finally {
          upload.remove();
        }
      },
    }),
  );

  r.get('/api/sandbox', route(ctx, { need: 'sql', handle: async () => ({ tables: await ctx.readers.use((wh) => listSandbox(wh)) }) }));

  r.delete(
    '/api/sandbox/:name',
    route<{ name: string }>(ctx, {
      need: 'sql',
      parse: (req) => ({ name: parseSandboxName(req.params.name) }),
      handle: async ({ params }) => {
        await ctx.queue.run(async () => {
          await describeSandboxTable(ctx.writer, params.name);
          await ctx.writer.run(`drop table sandbox.${quoteIdent(params.name)}`);
        });
        return { ok: true };
      },
    }),
  );
}
