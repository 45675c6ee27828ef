// What the CLIs do through a running server (they hold its token, which acts as admin), and what an
// admin may do from the browser: users, regions, a full model run. Every change goes through the
// write queue.
import type { Router } from 'express';
import { HttpError } from '../http-error.ts';
import { UserError } from '../../warehouse/errors.ts';
import { addRegion, listRegions, loadRegionsCsv } from '../../warehouse/regions.ts';
import { addUser, listUsers, removeUser, setPassword } from '../../warehouse/users.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { jsonSafe } from '../json-values.ts';
import { stageLocalFile } from '../staging.ts';
import { receiveUpload } from '../upload.ts';

/** A UserError of the warehouse (bad name, unknown region, …) is the caller's mistake: 400. */
async function asRequestError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError) throw new HttpError(400, err.message);
    throw err;
  }
}

export function adminRoutes(r: Router, ctx: AppContext): void {
  r.get('/api/admin/users', route(ctx, { need: 'admin', handle: async () => ({ users: await listUsers(ctx.authDb) }) }));

  r.post(
    '/api/admin/users',
    route(ctx, {
      need: 'admin',
      handle: async ({ req, who }) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (typeof b.name !== 'string' || typeof b.role !== 'string' || typeof b.password !== 'string') {
          throw new HttpError(400, 'expected {"name","role","password","region_code"?}');
        }
        const region = typeof b.region_code === 'string' ? b.region_code : null;
        const user = await ctx.audit.timed(who, { action: 'user_add', target: b.name, detail: { role: b.role, region_code: region, via: who.via } }, () =>
          ctx.queue.run(() => asRequestError(() => addUser(ctx.writer, { name: b.name as string, role: b.role as string, region_code: region, password: b.password as string }))),
        );
        // Replacing a user replaces the password: their sessions ended with it.
        ctx.sessions.endUser(user.name);
        await ctx.sessions.refreshUsers();
        return { user };
      },
    }),
  );

  // A new password (at least 10 characters) ends every session of the user.
  r.put(
    '/api/admin/users/:name/password',
    route(ctx, {
      need: 'admin',
      handle: async ({ req, who }) => {
        const name = String(req.params.name);
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (typeof b.password !== 'string') throw new HttpError(400, 'expected {"password"} / 需要 {"password"}');
        const changed = await ctx.queue.run(() => asRequestError(() => setPassword(ctx.writer, name, b.password as string)));
        ctx.audit.record(who, { action: 'user_passwd', target: name, detail: { via: who.via }, status: changed ? 'ok' : 'error' });
        if (!changed) throw new HttpError(404, `no user named ${name} / 用户不存在`);
        ctx.sessions.endUser(name);
        return { ok: true };
      },
    }),
  );

  r.delete(
    '/api/admin/users/:name',
    route(ctx, {
      need: 'admin',
      handle: async ({ req, who }) => {
        const name = String(req.params.name);
        const removed = await ctx.queue.run(() => removeUser(ctx.writer, name));
        ctx.audit.record(who, { action: 'user_remove', target: name, detail: { via: who.via }, status: removed ? 'ok' : 'error' });
        if (!removed) throw new HttpError(404, `no user named ${name} / 用户不存在`);
        await ctx.sessions.refreshUsers();
        return { ok: true };
      },
    }),
  );

  r.get(
    '/api/regions',
    route(ctx, {
      need: 'login',
      handle: async ({ who }) => ({ regions: (await listRegions(ctx.authDb)).filter((r) => who.region === null || r.code === who.region) }),
    }),
  );

  r.post(
    '/api/admin/regions',
    route(ctx, {
      need: 'admin',
      handle: async ({ req }) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        if (typeof b.code !== 'string' || typeof b.name_zh !== 'string') throw new HttpError(400, 'expected {"code","name_zh","name_en"?}');
        const region = await ctx.queue.run(() =>
          asRequestError(() => addRegion(ctx.writer, b.code as string, b.name_zh as string, typeof b.name_en === 'string' ? b.name_en : undefined)),
        );
        await ctx.refreshRegions();
        return { region };
      },
    }),
  );

  r.post(
    '/api/admin/regions/load',
    route(ctx, {
      need: 'admin',
      handle: async ({ req, who }) => {
        let staged: { path: string; name: string; cleanup: () => void };
        if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
          const b = (req.body ?? {}) as Record<string, unknown>;
          if (who.via !== 'token') throw new HttpError(403, 'only the command-line tools may name local paths; upload the file instead');
          if (typeof b.path !== 'string') throw new HttpError(400, 'expected {"path"}');
          staged = stageLocalFile(ctx.settings.stagingDir, b.path, b.path);
        } else {
          const upload = await receiveUpload(req, { stagingDir: ctx.settings.stagingDir, fileField: 'file', maxBytes: 64 << 20, maxFiles: 1 });
          if (!upload.files[0]) {
            upload.remove();
            throw new HttpError(400, 'no file in field "file"');
          }
          staged = { path: upload.files[0].path, name: upload.files[0].name, cleanup: upload.remove };
        }
        try {
          const out = await ctx.queue.run(() =>
            asRequestError(() => loadRegionsCsv(ctx.writer, staged.path)).catch((err: unknown) => {
              // Name the file as the caller knows it, not its staging copy.
              if (err instanceof HttpError) throw new HttpError(err.status, err.message.replaceAll(staged.path, staged.name));
              throw err;
            }),
          );
          await ctx.refreshRegions();
          return out;
        } finally {
          staged.cleanup();
        }
      },
    }),
  );

  r.post(
    '/api/admin/models',
    route(ctx, {
      need: 'admin',
      handle: async () => jsonSafe(await ctx.ingest.runAll()),
    }),
  );
}
