// `npm run models -- [--db PATH] [--json]`: a full refresh of the models and their data tests.
// Exit 1 when a data test fails (the marts are built all the same, and the failure is recorded).
import { parseCli, runCli } from './cli.ts';
import { normalizeSettings } from './config.ts';
import { Warehouse } from './db.ts';
import { EXIT, UserError } from './errors.ts';
import { runModels } from './models.ts';

runCli(async () => {
  const { values, positionals } = parseCli({ db: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UserError(`unexpected argument ${positionals[0]}\nusage: npm run models -- [--db PATH] [--json]`, EXIT.usage);
  const wh = await Warehouse.open(normalizeSettings(values.db === undefined ? {} : { db: values.db }));
  try {
    const logger = { info: (m: string) => process.stderr.write(`${m}\n`) };
    const result = await runModels(wh, values.json ? {} : { logger });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...result, tests: result.tests.filter((t) => t.failures > 0) })}\n`);
    } else {
      const out = process.stdout;
      out.write(`run ${result.run_id} (${result.mode}), data version ${result.data_version}, ${(result.duration_ms / 1000).toFixed(1)} s\n`);
      out.write(`${'model'.padEnd(28)} ${'kind'.padEnd(6)} ${'rows'.padStart(10)} ${'ms'.padStart(8)}\n`);
      for (const m of result.models) {
        out.write(`${m.name.padEnd(28)} ${m.materialized.padEnd(6)} ${String(m.rows ?? '').padStart(10)} ${String(m.ms).padStart(8)}\n`);
      }
      out.write(`tests: ${result.tests.length - result.failed} passed, ${result.failed} failed\n`);
      for (const t of result.tests.filter((x) => x.failures > 0)) out.write(`  FAILED ${t.name}: ${t.failures} row(s)\n`);
    }
    return result.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    wh.close();
  }
});
