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

const DEMO_PASSWORD = 'demo';

/** Creates the demo users that are missing, on a warehouse `npm start` generated; never elsewhere. */
async function demoUsers(wh: Warehouse): Promise<boolean> {
  if ((await getAppSetting(wh, 'demo')) !== 'true') return false;
  await addDemoUsers(wh, DEMO_PASSWORD);
  return true;
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
    if (loaded === 0) {
      const started = Date.now();
      const out = join(dirname(settings.path), 'demo-extracts');
      process.stderr.write(`empty warehouse ${settings.path}: generating demo extracts in ${out} / 生成演示数据\n`);
      const bars = { generated: countProgress('  generated / 生成'), loaded: countProgress('  loaded / 装载') };
      const { demo: extracts, run } = await seedDemoWarehouse(
        wh,
        { out, gbk: true, rejectThreshold: settings.rejectThreshold },
        { progress: (phase, done, total) => bars[phase](done, total) },
      );
      process.stderr.write(`  ${extracts.files.length} files for ${extracts.periods[0]}..${extracts.periods.at(-1)}`);
      await setAppSetting(wh, 'demo', 'true');
      process.stderr.write(`\n  models built in ${(run.duration_ms / 1000).toFixed(1)} s, ${run.tests.length - run.failed} data tests passed, ${run.failed} failed`);
      process.stderr.write(`\n  demo warehouse ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
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
