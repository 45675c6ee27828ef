// What the server plugs in: the renderer behind GET /api/briefings/… (cached per data version,
// rendered on a worker thread), and pre-generation after a model run, so that the month's briefings
// are ready before the first branch asks for them.
import type { Warehouse } from '../warehouse/db.ts';
import { BriefingService, type BriefingServiceOptions } from './cache.ts';
import type { BriefingFormat } from './render.ts';
import type { Lang } from './text.ts';

/** The parts of the server's context pre-generation uses (server/context.ts AppContext has them). */
export interface ServerParts {
  readers: { use<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> };
  regions: ReadonlySet<string>;
  log: { info(message: string): void; error(message: string): void };
}

export interface ServerBriefings {
  render(wh: Warehouse, region: string, period: string, format: BriefingFormat, lang?: Lang): Promise<Uint8Array>;
  /** After a model run: every briefing of the newest month it rebuilt, one at a time, in the background. */
  afterModels(run: { status: string; periods: readonly string[] }, server: ServerParts): void;
  /** Resolves when the pre-generation started so far is done (tests, shutdown). */
  idle(): Promise<void>;
  stats(): { entries: number; bytes: number; renders: number };
  close(): Promise<void>;
}

export function serverBriefings(opts: BriefingServiceOptions = {}): ServerBriefings {
  const service = new BriefingService(opts);
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  return {
    render: (wh, region, period, format, lang = 'zh') => service.get(wh, region, period, format, lang),
    afterModels(run, server) {
      const period = [...run.periods].sort().at(-1);
      if (closed || run.status !== 'ok' || !period) return;
      // One after another: a burst of loads queues up, and each briefing already current is a cache hit.
      chain = chain.then(async () => {
        const regions = ['ALL', ...[...server.regions].sort()];
        const started = performance.now();
        try {
          for (const region of regions) {
            for (const format of ['pdf', 'xlsx'] as const) {
              if (closed) return;
              // A reader is held per briefing only, so that boards keep theirs meanwhile.
              await server.readers.use((wh) => service.get(wh, region, period, format));
            }
          }
          server.log.info(`briefings: ${regions.length} briefings of ${period} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        } catch (err) {
          server.log.error(`briefings: pre-generating ${period} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    },
    idle: () => chain,
    stats: () => service.stats(),
    async close() {
      closed = true;
      await chain;
      await service.close();
    },
  };
}
