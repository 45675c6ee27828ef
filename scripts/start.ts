// npm start: on an empty warehouse, generate the deterministic demo extracts (11 Zhejiang cities,
// 12 months ending with the last complete month), load them through the real ingest, and report.
import { dirname, join } from 'node:path';
import { runCli } from '../warehouse/cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { generateDemoData } from '../warehouse/demo-data.ts';
import { ingestFile } from '../ingest/load.ts';
import { runModels } from '../warehouse/models.ts';

const tty = process.stderr.isTTY === true;
/** Redraws one status line on a terminal; elsewhere only the final count is worth a line. */
function counter(label: string) {
  return (done: number, total: number) => {
    if (tty) process.stderr.write(`\r  ${label} ${done}/${total} files`);
    else if (done === total) process.stderr.write(`  ${label} ${done}/${total} files`);
  };
}

runCli(async () => {
  const settings = normalizeSettings();
  const wh = await Warehouse.open(settings);
  try {
    const loaded = Number((await wh.one<{ n: bigint }>(`select count(*) as n from loads where status = 'loaded'`))!.n);
    if (loaded === 0) {
      const started = Date.now();
      const out = join(dirname(settings.path), 'demo-extracts');
      process.stderr.write(`empty warehouse ${settings.path}: generating demo extracts in ${out} / 生成演示数据\n`);
      const demo = await generateDemoData(
        { out, gbk: true },
        { progress: counter('generated') },
      );
      process.stderr.write(`\n  ${demo.files.length} files for ${demo.periods[0]}..${demo.periods.at(-1)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      const loadedCounter = counter('loaded');
      for (const [i, f] of demo.files.entries()) {
        const r = await ingestFile(wh, f.path, { rejectThreshold: settings.rejectThreshold });
        loadedCounter(i + 1, demo.files.length);
        if (r.status !== 'loaded') throw new Error(`demo extract ${f.path} was ${r.status}: ${r.message}`);
      }
      const run = await runModels(wh);
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
  } finally {
    wh.close();
  }
});
