// `npm run models -- [--db PATH] [--json]`: a full refresh of the models and their data tests,
// through the running server when one holds the warehouse (POST /api/admin/models), else on the
// file. Exit 1 when a data test fails (the tables are built all the same, and the run is recorded).
// Either way the alert rules are judged after the run (on the file, the command waits for the webhooks).
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { runModels, type ModelRunResult } from '../warehouse/models.ts';
import { judgeAfterRunOnFile } from '../server/alerts.ts';
import { throughServerOrFile } from './through-server.ts';

runCli(async () => {
  const { values, positionals } = parseCli({ db: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UserError(`unexpected argument ${positionals[0]}\nusage: npm run models -- [--db PATH] [--json]`, EXIT.usage);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
  const result = await throughServerOrFile<ModelRunResult>(settings, {
    server: async (call) => (await call<ModelRunResult>('POST', '/api/admin/models')).body,
    file: async (wh) => {
      const run = await runModels(wh, values.json ? {} : { logger: { info: (m: string) => process.stderr.write(`${m}\n`) } });
      const quiet = (m: string) => {
        if (!values.json) process.stderr.write(`${m}\n`);
      };
      await judgeAfterRunOnFile(wh, run, { info: quiet, error: (m) => process.stderr.write(`${m}\n`) });
      return run;
    },
  });
  const failed = result.tests.filter((t) => t.failures > 0);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...result, tests: failed })}\n`);
  } else {
    const out = process.stdout;
    out.write(`run ${result.run_id} (${result.mode}), data version ${result.data_version}, ${(result.duration_ms / 1000).toFixed(1)} s\n`);
    out.write(`${'model'.padEnd(28)} ${'kind'.padEnd(6)} ${'rows'.padStart(10)} ${'ms'.padStart(8)}\n`);
    for (const m of result.models) {
      out.write(`${m.name.padEnd(28)} ${m.materialized.padEnd(6)} ${String(m.rows ?? '').padStart(10)} ${String(m.ms).padStart(8)}\n`);
    }
    out.write(`tests: ${result.tests.length - failed.length} passed, ${failed.length} failed\n`);
    for (const t of failed) out.write(`  FAILED ${t.name}: ${t.failures} row(s)\n`);
  }
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
});
