// Starting and stopping a server on an open warehouse: lock DuckDB's file access down to the staging
// folder, build the context and the app, listen, leave the server file for the CLIs, watch the
// landing folder. Used by `npm run serve`, `npm start`, the tests and the benchmark.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { quoteLiteral, type Warehouse } from '../warehouse/db.ts';
import { removeServerFile, writeServerFile } from './server-file.ts';
import { buildApp } from './app.ts';
import { type AppContext, type ServerDeps, createContext } from './context.ts';
import { LandingWatcher } from './watch.ts';

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  ctx: AppContext;
  http: Server;
  close(): Promise<void>;
}

/**
 * Layer two of the SQL console's safety: DuckDB may touch no file outside the staging folder (and its
 * own database files), and this cannot be undone while the database is open.
 */
export async function lockDown(wh: Warehouse, stagingDir: string): Promise<void> {
  mkdirSync(stagingDir, { recursive: true });
  const dir = stagingDir.endsWith('/') ? stagingDir : `${stagingDir}/`;
  await wh.run(`SET allowed_directories = [${quoteLiteral(dir)}]`);
  await wh.run('SET enable_external_access = false');
}

export async function startServer(deps: ServerDeps & { serverFile?: boolean }): Promise<RunningServer> {
  const { settings } = deps;
  await lockDown(deps.warehouse, settings.stagingDir);
  const token = deps.token ?? randomBytes(32).toString('base64url');
  const ctx = await createContext({ ...deps, token });
  const app = buildApp(ctx);
  // Headers within headersTimeoutMs and the whole request (a long upload included) within
  // requestTimeoutMs, else 408 and the socket is closed: a client that never finishes its request holds
  // nothing for long. Responses have no timeout from Node (server-sent events, long answers; the SQL
  // route has its own write deadline). Timeouts are checked every second.
  const http = createServer({ connectionsCheckingInterval: 1000 }, app);
  http.headersTimeout = settings.headersTimeoutMs;
  http.requestTimeout = Math.max(settings.requestTimeoutMs, settings.headersTimeoutMs);
  http.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(settings.port, settings.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (settings.publicUrl === null) ctx.baseUrl = url;
  const dbPath = deps.warehouse.settings.path;
  const withFile = deps.serverFile !== false && dbPath !== ':memory:';
  // Removed on close, and on any exit (a crash included) so the CLIs stop looking for this server.
  const onExit = () => removeServerFile(dbPath, token);
  if (withFile) {
    writeServerFile(dbPath, { url, token, pid: process.pid });
    process.once('exit', onExit);
  }
  const watcher = settings.ingestDir ? new LandingWatcher(ctx, settings.ingestDir) : null;
  watcher?.start();
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      if (withFile) {
        removeServerFile(dbPath, token);
        process.off('exit', onExit);
      }
      await watcher?.stop();
      ctx.events.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await ctx.close();
    })());
  return { url, port, token, ctx, http, close };
}
