// A demo warehouse the way a production one is made: the generator writes the extract files a BSS
// would, the real ingest loads them (every check, every reject rule), and the models are built. One
// function for `npm start`, the tests and the benchmarks, so they all exercise the same path.
import { ingestFile } from '../ingest/load.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { type ModelRunResult, runModels } from '../warehouse/models.ts';
import { addUser, getAppSetting, getUser } from '../warehouse/users.ts';
import { type DemoDataFile, type DemoDataOptions, type DemoDataSummary, generateDemoData } from './generate.ts';

export interface SeedOptions extends DemoDataOptions {
  /** Which generated files to load now (default all); a benchmark keeps the last month aside. */
  load?: (file: DemoDataFile) => boolean;
  rejectThreshold?: number;
}

export interface SeedEffects {
  /** Files done and files in all, per phase. */
  progress?: (phase: 'generated' | 'loaded', done: number, total: number) => void;
  now?: () => Date;
  /**
   * Stops the seeding between two files (`npm start` on SIGTERM): it throws the signal's reason; what
   * was loaded stays loaded, and a second run with the same options loads the rest (the files already
   * loaded are the same bytes, so ingest skips them as duplicates).
   */
  signal?: AbortSignal;
}

export interface SeedResult {
  demo: DemoDataSummary;
  run: ModelRunResult;
}

/** Generates the demo extracts into `options.out`, loads them into `wh` and runs the models. */
export async function seedDemoWarehouse(wh: Warehouse, options: SeedOptions, effects: SeedEffects = {}): Promise<SeedResult> {
  const { load = () => true, rejectThreshold, ...generate } = options;
  const { signal } = effects;
  const demo = await generateDemoData(generate, {
    progress: (done: number, total: number) => {
      signal?.throwIfAborted();
      effects.progress?.('generated', done, total);
    },
    ...(effects.now ? { now: effects.now } : {}),
  });
  const files = demo.files.filter(load);
  for (const [i, f] of files.entries()) {
    signal?.throwIfAborted();
    const r = await ingestFile(wh, f.path, rejectThreshold === undefined ? {} : { rejectThreshold });
    if (r.status === 'refused') throw new Error(`demo extract ${f.path} was ${r.status}: ${r.message}`);
    effects.progress?.('loaded', i + 1, files.length);
  }
  signal?.throwIfAborted();
  const run = await runModels(wh);
  if (run.failed > 0) throw new Error(`the demo warehouse fails ${run.failed} data test(s): npm run models shows which`);
  return { demo, run };
}

/** One login per role; a real deployment creates its own with npm run users. */
export const DEMO_USERS = [
  { name: 'exec', role: 'executive', region_code: null, note: 'all regions, boards and briefings' },
  { name: 'analyst', role: 'analyst', region_code: null, note: 'boards, SQL console, sandbox, loads' },
  { name: 'wenzhou', role: 'regional', region_code: '330300', note: '温州 330300 only' },
  { name: 'admin', role: 'admin', region_code: null, note: 'everything, manages users' },
] as const;

/**
 * Creates the demo users that are missing, all with `password`; a password shorter than the rule's
 * 10 characters (`npm start`'s 'demo') only on a demo warehouse (app setting demo = 'true').
 */
export async function addDemoUsers(wh: Warehouse, password: string): Promise<void> {
  const allowShort = (await getAppSetting(wh, 'demo')) === 'true';
  for (const { name, role, region_code } of DEMO_USERS) {
    if (!(await getUser(wh, name))) await addUser(wh, { name, role, region_code, password }, { allowShort });
  }
}
