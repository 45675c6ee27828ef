// Serving a warehouse until a signal: the API, the dashboard build, server-sent events, the landing
// folder (INGEST_DIR). Stops cleanly on SIGINT/SIGTERM, removing the server file so the CLIs open
// the warehouse themselves again. The entry points are cli/serve.ts and cli/start.ts.
import { serverBriefings } from '../briefings/server-hook.ts';
import { Warehouse } from '../warehouse/db.ts';
import { type RunningServer, startServer } from './runtime.ts';
import { normalizeServerSettings } from './settings.ts';

/** How long a stop waits for the write in flight, SSE streams and connections before exiting anyway. */
export const STOP_GRACE_MS = 8000;

/** Serves until SIGINT/SIGTERM; resolves once stopped. Shared with `npm start`. */
export async function serveUntilStopped(wh: Warehouse, env: NodeJS.ProcessEnv = process.env, announce?: (s: RunningServer) => void): Promise<void> {
  const settings = normalizeServerSettings(wh.settings.path, env);
  const briefings = serverBriefings();
  const server = await startServer({ warehouse: wh, settings, briefings: briefings.render, onModels: (run, ctx) => briefings.afterModels(run, ctx) });
  (announce ?? ((s) => console.log(`serving ${wh.settings.path} at ${s.url}`)))(server);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // Ctrl-C reaches this process from the terminal and again through the parent that re-ran it.
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping…`);
      // A write still running after the grace period (a long load) is left unfinished: DuckDB rolls
      // its transaction back, and the exit handler removes the server file.
      const deadline = setTimeout(() => {
        console.error(`not stopped within ${STOP_GRACE_MS / 1000} s: exiting, the unfinished write is rolled back`);
        process.exit(0);
      }, STOP_GRACE_MS);
      // Pre-generation first: it reads through the server's connections, which close with it.
      briefings
        .close()
        .then(() => server.close())
        .catch((err: unknown) => console.error(err))
        .finally(() => {
          clearTimeout(deadline);
          resolve();
        });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  wh.close();
}
