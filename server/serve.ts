// Serving a warehouse until a signal: the API, the dashboard build, server-sent events, the landing
// folder (INGEST_DIR). Stops cleanly on SIGINT/SIGTERM, removing the server file so the CLIs open
// the warehouse themselves again. The entry points are cli/serve.ts and cli/start.ts.
import { serverBriefings } from '../briefings/server-hook.ts';
import { Warehouse } from '../warehouse/db.ts';
import { type RunningServer, startServer } from './runtime.ts';
import { normalizeServerSettings } from './settings.ts';

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
