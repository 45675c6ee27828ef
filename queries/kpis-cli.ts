// `npm run kpis -- [--db PATH] --period YYYY-MM [--region CODE|ALL] [--segment S] [--json]`:
// every KPI of kpis.md for one period and region; with --json the API's shape
// {"period","region","kpis":{KEY:number|null}}, else a table.
import { parseCli, runCli } from '../warehouse/cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { KPI_DEFINITIONS } from './kpi-keys.ts';
import { getKpis } from './kpis.ts';

const USAGE = 'usage: npm run kpis -- [--db PATH] --period YYYY-MM [--region CODE|ALL] [--segment personal|household|enterprise] [--json]';

runCli(async () => {
  const { values, positionals } = parseCli({
    db: { type: 'string' },
    period: { type: 'string' },
    region: { type: 'string', default: 'ALL' },
    segment: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UserError(`unexpected argument ${positionals[0]}\n${USAGE}`, EXIT.usage);
  if (!values.period) throw new UserError(`--period is required\n${USAGE}`, EXIT.usage);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
  const wh = await Warehouse.open(settings);
  try {
    const result = await getKpis(wh, {
      period: values.period,
      region: values.region,
      ...(values.segment === undefined ? {} : { segment: values.segment }),
    }).catch((err: unknown) => {
      // a malformed period, region or segment is a usage error of this command
      throw err instanceof UserError ? new UserError(err.message, EXIT.usage) : err;
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(`${result.period}  ${result.region}${result.segment ? `  ${result.segment}` : ''}\n`);
    for (const d of KPI_DEFINITIONS) {
      const v = result.kpis[d.key];
      process.stdout.write(`${d.key.padEnd(34)} ${formatValue(v ?? null, d.unit).padStart(16)}  ${d.label_zh}\n`);
    }
  } finally {
    wh.close();
  }
});

function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  if (unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  if (unit === 'money') return v.toFixed(2);
  if (unit === 'count') return String(v);
  return v.toFixed(2);
}
