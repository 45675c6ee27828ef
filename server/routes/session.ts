// Health, login and logout, and who the caller is. Login attempts are counted before the password is
// checked, per (user name, client address) and per address, with few checks at once (LoginLimiter); the session cookie is HttpOnly (no script reads it) and SameSite=Strict (no other
// site can send it).
import { type Router } from 'express';
import { HttpError } from '../http-error.ts';
import { checkLogin, getAppSetting } from '../../warehouse/users.ts';
import { route } from '../access.ts';
import { SESSION_COOKIE, parseCookies, upgradeHash } from '../auth.ts';
import type { AppContext } from '../context.ts';

function cookie(ctx: AppContext, value: string, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(ctx.settings.secureCookies ? ['Secure'] : [])].join('; ');
}

export function sessionRoutes(r: Router, ctx: AppContext): void {
  // Whether this is a demo warehouse (the login page then hints the demo users); set before serving, read once.
  let demo: Promise<boolean> | null = null;
  r.get('/api/health', (_req, res, next) => {
    demo ??= getAppSetting(ctx.authDb, 'demo').then((v) => v === 'true');
    demo
      .then((isDemo) => res.json({ ok: true, demo: isDemo, data_version: ctx.cache.version, pending_writes: ctx.queue.pending }))
      .catch(next);
  });

  r.post('/api/login', (req, res, next) => {
    (async () => {
      const body = req.body as { user?: unknown; password?: unknown } | undefined;
      if (!body || typeof body.user !== 'string' || typeof body.password !== 'string' || !body.user || body.user.length > 64 || body.password.length > 1024) {
        throw new HttpError(400, 'expected {"user","password"} as JSON');
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      // The role is known once the password is: the entry is written after.
      const actor: { name: string; role: string | null } = { name: body.user, role: null };
      const user = await ctx.audit.timed(actor, { action: 'login', detail: { address } }, async () => {
        // Counted as a failure before the password is checked; a success takes it back.
        const attempt = ctx.limiter.begin(body.user as string, address);
        let found;
        try {
          found = await checkLogin(ctx.authDb, actor.name, body.password as string, (stored) => upgradeHash(ctx, actor.name, body.password as string, stored));
        } finally {
          attempt.done();
        }
        if (!found) throw new HttpError(401, 'wrong user name or password / 用户名或密码错误');
        attempt.succeed();
        actor.role = found.role;
        return found;
      });
      const token = await ctx.sessions.create(user);
      res.setHeader('Set-Cookie', cookie(ctx, token, Math.floor(ctx.settings.sessionTtlMs / 1000)));
      res.json({ user: user.name, role: user.role, region: user.region_code });
    })().catch(next);
  });

  r.post('/api/logout', (req, res, next) => {
    (async () => {
      const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      if (token) {
        const who = ctx.sessions.get(token);
        await ctx.sessions.destroy(token);
        if (who) ctx.audit.record(who, { action: 'logout' });
      }
      res.setHeader('Set-Cookie', cookie(ctx, '', 0));
      res.json({ ok: true });
    })().catch(next);
  });

  r.get(
    '/api/me',
    route(ctx, {
      need: 'login',
      handle: async ({ who }) => ({ user: who.name, role: who.role, region: who.region }),
    }),
  );
}
