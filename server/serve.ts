// WAREHOUSE=PATH PORT=N npm run serve — serves an existing warehouse: the API, the dashboard build,
// server-sent events, the landing folder (INGEST_DIR). Stops cleanly on SIGINT/SIGTERM, removing
// the server file so the CLIs open the warehouse themselves again.
import { pathToFileURL } from 'node:url';
import { serverBriefings } from '../briefings/server-hook.ts';
import { runCli, parseCli } from '../warehouse/cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { findServer } from '../warehouse/server-file.ts';
import { type RunningServer, startServer } from './runtime.ts';
import { normalizeServerSettings } from './settings.ts';
import { ensureThreadPool } from './thread-pool.ts';

/** Serves until SIGINT/SIGTERM; resolves once stopped. Shared with `npm start`. */
export async function serveUntilStopped(wh: Warehouse, env: NodeJS.ProcessEnv = process.env, announce?: (s: RunningServer) => void): Promise<void> {
  const settings = normalizeServerSettings(wh.settings.path, env);
  const briefings = serverBriefings();
  const server = await startServer({ warehouse: wh, settings, briefings: briefings.render, onModels: (run, ctx) => briefings.afterModels(run, ctx) });
  (announce ?? ((s) => console.log(`serving ${wh.settings.path} at ${s.url}`)))(server);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.error(`\n${signal}: stopping…`);
      // Pre-generation first: it reads through the server's connections, which close with it.
      briefings
        .close()
        .then(() => server.close())
        .then(resolve, (err: unknown) => {
          console.error(err);
          resolve();
        });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  wh.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && (await ensureThreadPool())) {
  runCli(async () => {
    const { values } = parseCli({ db: { type: 'string' } });
    const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
    const running = findServer(settings.path);
    if (running) throw new UserError(`${settings.path} is already served at ${running.url} (pid ${running.pid})`, EXIT.locked);
    const wh = await Warehouse.open(settings);
    await serveUntilStopped(wh);
  });
}
