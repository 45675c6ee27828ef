// npm run demo-data -- --out DIR [--subscribers N] [--months M] [--end YYYY-MM] [--seed S] [--gbk] [--xlsx]
// Progress on stderr, one summary line on stdout.
import { performance } from 'node:perf_hooks';
import { parseCli, runCli } from './run-cli.ts';
import { generateDemoData } from '../demo/generate.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';

const USAGE =
  'usage: npm run demo-data -- --out DIR [--subscribers N] [--months M] [--end YYYY-MM] [--seed S] [--gbk] [--xlsx]';

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(value) || !Number.isSafeInteger(n)) throw new UserError(`--${name} must be a whole number, got ${value}`, EXIT.usage);
  return n;
}

runCli(async () => {
  const { values, positionals } = parseCli({
    out: { type: 'string' },
    subscribers: { type: 'string' },
    months: { type: 'string' },
    end: { type: 'string' },
    seed: { type: 'string' },
    gbk: { type: 'boolean' },
    xlsx: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UserError(`unexpected argument ${positionals[0]}\n${USAGE}`, EXIT.usage);
  if (!values.out) throw new UserError(`--out DIR is required\n${USAGE}`, EXIT.usage);
  const started = performance.now();
  const tty = process.stderr.isTTY;
  const summary = await generateDemoData(
    {
      out: values.out,
      subscribers: integer('subscribers', values.subscribers),
      months: integer('months', values.months),
      end: values.end,
      seed: integer('seed', values.seed),
      gbk: values.gbk ?? false,
      xlsxChannels: values.xlsx ?? false,
    },
    {
      logger: { info: (message) => process.stderr.write(`${message}\n`) },
      progress: (done, total) => {
        process.stderr.write(tty ? `\r${done}/${total} files${done === total ? '\n' : ''}` : `${done}/${total} files\n`);
      },
    },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const bytes = summary.files.reduce((sum, f) => sum + f.bytes, 0);
  const counts = Object.entries(summary.rows)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  process.stdout.write(
    `wrote ${summary.files.length} files (${(bytes / 1e6).toFixed(1)} MB; rows: ${counts}) for ${summary.periods[0]}..${summary.periods.at(-1)} to ${summary.out} in ${seconds} s\n`,
  );
  return EXIT.ok;
});
