// npm start: on an empty warehouse, generate the deterministic demo extracts (11 Zhejiang cities,
// 12 months ending with the last complete month), load them through the real ingest, build the
// models, create the demo users (demo warehouses only), then serve the dashboard and API on PORT.
import { dirname, join } from 'node:path';
import { serveUntilStopped } from '../server/serve.ts';
import { relaunchWithLibuvThreads } from '../server/libuv-threads.ts';
import { countProgress } from './progress.ts';
import { runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { DEMO_USERS, addDemoUsers, seedDemoWarehouse } from '../demo/seed.ts';
import { findServer } from '../server/server-file.ts';
import { getAppSetting, setAppSetting } from '../warehouse/users.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';

const DEMO_PASSWORD = 'demo';

/** Creates the demo users that are missing, on a warehouse `npm start` generated; never elsewhere. */
async function demoUsers(wh: Warehouse): Promise<boolean> {
  if ((await getAppSetting(wh, 'demo')) !== 'true') return false;
  await addDemoUsers(wh, DEMO_PASSWORD);
  return true;
}

/** The demo's size: 200,000 subscriptions × 12 months unless DEMO_SUBSCRIBERS / DEMO_MONTHS say otherwise. */
function demoSize(): { subscribers?: number; months?: number } {
  const size: { subscribers?: number; months?: number } = {};
  for (const [name, key] of [['DEMO_SUBSCRIBERS', 'subscribers'], ['DEMO_MONTHS', 'months']] as const) {
    const raw = process.env[name];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw)) throw new UserError(`${name} must be a whole number, got ${JSON.stringify(raw)} / ${name} 须为整数`, EXIT.usage);
    size[key] = Number(raw);
  }
  return size;
}

/**
 * Generates, loads and models the demo extracts. SIGTERM or Ctrl-C meanwhile stops it within seconds
 * (between two files, or by interrupting the statement running): false, and the warehouse keeps what was
 * loaded whole — the next start finishes the job.
 */
async function seedDemo(wh: Warehouse, path: string, rejectThreshold: number, resuming: boolean): Promise<boolean> {
  const started = Date.now();
  const out = join(dirname(path), 'demo-extracts');
  process.stderr.write(
    resuming
      ? `${path}: finishing the demo warehouse a stopped start left, from ${out} / 继续生成演示数据\n`
      : `empty warehouse ${path}: generating demo extracts in ${out} / 生成演示数据\n`,
  );
  await setAppSetting(wh, 'demo_seeding', 'true');
  const stop = new AbortController();
  let interrupting: NodeJS.Timeout | undefined;
  const onSignal = () => {
    if (stop.signal.aborted) return;
    process.stderr.write('\nstopping the demo generation … / 正在停止生成演示数据\n');
    stop.abort(new Error('stopped by a signal'));
    // The statement running (a load, a model) is interrupted and rolled back; keep at it until the
    // seeding notices, since a statement may start between two interrupts.
    interrupting = setInterval(() => wh.conn.interrupt(), 100);
    wh.conn.interrupt();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const bars = { generated: countProgress('  generated / 生成'), loaded: countProgress('  loaded / 装载', { everyStep: true }) };
    const { demo: extracts, run } = await seedDemoWarehouse(
      wh,
      { out, gbk: true, rejectThreshold, ...demoSize() },
      { progress: (phase, done, total) => bars[phase](done, total), signal: stop.signal },
    );
    process.stderr.write(`  ${extracts.files.length} files for ${extracts.periods[0]}..${extracts.periods.at(-1)}`);
    await setAppSetting(wh, 'demo', 'true');
    await setAppSetting(wh, 'demo_seeding', 'false');
    process.stderr.write(`\n  models built in ${(run.duration_ms / 1000).toFixed(1)} s, ${run.tests.length - run.failed} data tests passed, ${run.failed} failed`);
    process.stderr.write(`\n  demo warehouse ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return true;
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    process.stderr.write('stopped; the next npm start finishes the demo warehouse / 已停止，下次 npm start 将继续生成\n');
    return false;
  } finally {
    clearInterval(interrupting);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

if (await relaunchWithLibuvThreads()) runCli(async () => {
  const settings = normalizeSettings();
  const running = findServer(settings.path);
  if (running) {
    console.log(`${settings.path} is already served at ${running.url} (pid ${running.pid})`);
    return;
  }
  const wh = await Warehouse.open(settings);
  let demo = false;
  try {
    const loaded = Number((await wh.one<{ n: bigint }>(`select count(*) as n from loads where status = 'loaded'`))!.n);
    // A generation stopped part-way (SIGTERM, Ctrl-C) is finished by the next start.
    const unfinished = (await getAppSetting(wh, 'demo_seeding')) === 'true';
    if (loaded === 0 || unfinished) {
      if (!(await seedDemo(wh, settings.path, settings.rejectThreshold, unfinished))) {
        wh.close();
        return;
      }
    }
    const summary = await wh.all<{ kind: string; loads: bigint; rows: bigint; first: string; last: string }>(
      `select kind, count(*) as loads, sum(rows_loaded) as rows,
         (select strftime(min(period), '%Y-%m') from load_slices s where s.kind = l.kind) as first,
         (select strftime(max(period), '%Y-%m') from load_slices s where s.kind = l.kind) as last
       from loads l where status = 'loaded' group by kind order by kind`,
    );
    console.log(`warehouse ${settings.path}`);
    for (const s of summary) console.log(`  ${s.kind.padEnd(11)} ${String(s.loads).padStart(3)} loads ${Number(s.rows).toLocaleString('en').padStart(12)} rows  ${s.first}..${s.last}`);
    demo = await demoUsers(wh);
  } catch (err) {
    wh.close();
    throw err;
  }
  await serveUntilStopped(wh, process.env, (server) => {
    console.log(`\nserving at ${server.url}  (Ctrl-C stops)`);
    if (demo) {
      console.log(`demo logins (password "${DEMO_PASSWORD}"):`);
      for (const u of DEMO_USERS) console.log(`  ${u.name.padEnd(8)} ${u.role.padEnd(10)} ${u.note}`);
    } else {
      console.log('log in with a user made by npm run users');
    }
  });
});
