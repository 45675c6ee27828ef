// `npm run kpis -- [--db PATH] --period YYYY-MM [--region CODE|ALL] [--segment S] [--json]`:
// every KPI of kpis.md for one period and region; with --json the API's shape
// {"period","region","kpis":{KEY:number|null},"missing_extracts":{KIND:[CODE…]}}, else a table with a
// line naming the extracts not arrived. Through the running server when one holds the warehouse (its
// GET /api/kpis), else from the file.
import { asUsage, parseCli, runCli } from './run-cli.ts';
import { type Settings, normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { throughServerOrFile } from './through-server.ts';
import { KPI_CATALOGUE } from '../domain/kpi-catalogue.ts';
import { checkPeriod, checkSegment, getKpis, type KpiResult } from '../queries/kpis.ts';

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
  const params = { period: values.period, region: values.region, ...(values.segment === undefined ? {} : { segment: values.segment }) };
  const result = await fetchKpis(normalizeSettings(values.db === undefined ? {} : { db: values.db }), params);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${result.period}  ${result.region}${result.segment ? `  ${result.segment}` : ''}\n`);
  const missing = Object.entries(result.missing_extracts).map(([kind, codes]) => `${kind} ${codes.join(', ')}`);
  if (missing.length > 0) process.stdout.write(`not reported / 未上报: ${missing.join('; ')} (their figures are —, not 0)\n`);
  for (const d of KPI_CATALOGUE) {
    process.stdout.write(`${d.key.padEnd(34)} ${formatValue(result.kpis[d.key] ?? null, d.unit).padStart(16)}  ${d.label_zh}\n`);
  }
});

function fetchKpis(settings: Settings, params: { period: string; region: string; segment?: string }): Promise<KpiResult> {
  return throughServerOrFile(settings, {
    server: async (call) => {
      await asUsage(async () => {
        checkPeriod(params.period);
        if (params.segment !== undefined) checkSegment(params.segment);
      });
      const { status, body } = await call<KpiResult | { error: string }>('GET', `/api/kpis?${new URLSearchParams(params)}`, undefined, { accept: [400] });
      if (status === 400) throw new UserError((body as { error: string }).error, EXIT.usage);
      return body as KpiResult;
    },
    file: (wh) => asUsage(() => getKpis(wh, params)),
  });
}


function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  if (unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  if (unit === 'count') return String(v);
  return v.toFixed(2);
}
