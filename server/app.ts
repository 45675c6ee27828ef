// The express app: body parsing with limits, the routes, the dashboard build (or a placeholder), and
// one error handler that answers {"error": …} — never a stack trace.
import { existsSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './http-error.ts';
import { UserError } from '../warehouse/errors.ts';
import type { AppContext } from './context.ts';
import { adminRoutes } from './routes/admin.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { briefingRoutes } from './routes/briefings.ts';
import { eventRoutes } from './routes/events.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { sandboxRoutes } from './routes/sandbox.ts';
import { sessionRoutes } from './routes/session.ts';
import { sqlRoutes } from './routes/sql.ts';
import { targetRoutes } from './routes/targets.ts';
import { queryRoutes } from './routes/queries.ts';

/** JSON bodies are small (a login, a query); 256 KB leaves room for a long query, not a 1 MB one. */
export const JSON_LIMIT = 256 * 1024;

/**
 * What the dashboard needs and no more: its own scripts, styles (Svelte and vega set inline styles),
 * images as data: or blob: (chart exports), fetches and events to this server; no framing (and
 * X-Frame-Options: DENY for browsers without frame-ancestors).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // vega compiles its expressions with Function() unless the embed is given its interpreter.
  "script-src 'self' 'unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site requests that change state are refused (login included): SameSite=Strict ignores the
 * port, so a page on another port of this host would otherwise post with the user's cookie. The
 * `Origin` must name the host the request came to; without one, `Sec-Fetch-Site` must not say
 * another site. A request with neither (the CLIs, curl) passes — the session or token still decides.
 */
export function refuseCrossSite(req: Request, _res: Response, next: NextFunction): void {
  if (!STATE_CHANGING.has(req.method) || !req.path.startsWith('/api/')) return next();
  const origin = req.get('origin');
  const host = req.get('host');
  let foreign: boolean;
  if (origin !== undefined) {
    let originHost: string | null;
    try {
      originHost = origin === 'null' ? null : new URL(origin).host;
    } catch {
      originHost = null;
    }
    foreign = originHost === null || host === undefined || originHost.toLowerCase() !== host.toLowerCase();
  } else {
    const site = req.get('sec-fetch-site');
    foreign = site !== undefined && site !== 'same-origin' && site !== 'none';
  }
  next(foreign ? new HttpError(403, 'cross-site request refused: send it from this server\'s own pages / 拒绝跨站请求') : undefined);
}

export function buildApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // the KPI routes set their own, per data version
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  });
  app.use(refuseCrossSite);
  const badUtf8 = new WeakSet<object>();
  app.use(
    express.json({
      limit: JSON_LIMIT,
      verify: (req, _res, buf) => {
        // Decoding would turn invalid bytes into U+FFFD silently; remember them and refuse below
        // (an error thrown here would become a 403).
        if (!isUtf8(buf)) badUtf8.add(req);
      },
    }),
  );
  app.use((req, _res, next) => next(badUtf8.has(req) ? new HttpError(400, 'the request body is not valid UTF-8') : undefined));
  const api = express.Router();
  sessionRoutes(api, ctx);
  kpiRoutes(api, ctx);
  targetRoutes(api, ctx);
  sqlRoutes(api, ctx);
  queryRoutes(api, ctx);
  sandboxRoutes(api, ctx);
  auditRoutes(api, ctx);
  ingestRoutes(api, ctx);
  eventRoutes(api, ctx);
  briefingRoutes(api, ctx);
  adminRoutes(api, ctx);
  alertRoutes(api, ctx);
  app.use(api);
  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'not found')));
  staticSite(app, ctx.settings.staticDir);
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => errorHandler(ctx, err, req, res, next));
  return app;
}

/** The dashboard build when there is one (single-page app: unknown paths get index.html). */
function staticSite(app: express.Express, dir: string): void {
  if (existsSync(join(dir, 'index.html'))) {
    // Built assets carry a content hash in their names: cache them for good. index.html names the
    // current ones, so a browser must check it every time or it asks for assets a rebuild removed.
    app.use(
      express.static(dir, {
        index: 'index.html',
        setHeaders: (res, path) => {
          res.setHeader('Cache-Control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    app.get('/{*path}', (_req, res) => res.sendFile(join(dir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
    return;
  }
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>全业务运营分析平台</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
<h1>全业务运营分析平台 · Full-service operation analytics</h1>
<p>The API is running. The dashboard is not built yet: run <code>npm run build</code> to serve it here.</p>
<p>Try <code>POST /api/login</code>, then <code>GET /api/kpis?period=YYYY-MM&amp;region=ALL</code>.</p>`);
  });
  app.use((_req, _res, next) => next(new HttpError(404, 'not found')));
}

function errorHandler(ctx: AppContext, err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    // Mid-stream: the status is gone; cut the response so the client sees it incomplete.
    ctx.log.error(`${req.method} ${req.path}: failed after the response started: ${(err as Error)?.message ?? err}`);
    res.destroy();
    return;
  }
  let status = 500;
  let message = 'internal error';
  if (err instanceof HttpError) {
    status = err.status;
    message = err.message;
  } else if (err instanceof UserError) {
    status = 400;
    message = err.message;
  } else if (typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    // body-parser: too large, malformed JSON, unsupported charset
    const e = err as { status: number; type?: string; message?: string };
    status = e.status;
    message =
      e.type === 'entity.too.large'
        ? `the request body is larger than ${JSON_LIMIT / 1024} KB`
        : e.type === 'entity.parse.failed'
          ? 'the request body is not valid JSON'
          : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
            ? 'the request body must be UTF-8 JSON'
            : (e.message ?? 'bad request');
  }
  if (status >= 500 && status !== 501) ctx.log.error(`${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  res.status(status).json({ error: message });
}
