// `npm run targets -- [--db PATH] --period YYYY-MM [--region CODE|ALL] [--json]`: a region's targets
// for a month judged (targets.md): with --json the API's object {"period","region","score","rank",
// "ranked","rows":[{"kpi","target","target_period","actual","ytd","months_covered","time_progress",
// "completion","gap","attainment","status","weight"}],"scored_kpis"}, else a table. Through the running
// server when one holds the warehouse (its GET /api/targets), else from the file.
import { asUsage, parseCli, runCli } from './run-cli.ts';
import { type Settings, normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { throughServerOrFile } from './through-server.ts';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { checkPeriod } from '../queries/kpis.ts';
import { type TargetsResult, getTargets } from '../queries/targets.ts';

const USAGE = 'usage: npm run targets -- [--db PATH] --period YYYY-MM [--region CODE|ALL] [--json]';

runCli(async () => {
  const { values, positionals } = parseCli({
    db: { type: 'string' },
    period: { type: 'string' },
    region: { type: 'string', default: 'ALL' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UserError(`unexpected argument ${positionals[0]}\n${USAGE}`, EXIT.usage);
  if (!values.period) throw new UserError(`--period is required\n${USAGE}`, EXIT.usage);
  const params = { period: values.period, region: values.region };
  const result = await fetchTargets(normalizeSettings(values.db === undefined ? {} : { db: values.db }), params);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rank = result.rank === null ? '—' : `${result.rank} / ${result.ranked}`;
  process.stdout.write(`${result.period}  ${result.region}  score / 得分 ${num(result.score, 2)}  rank / 排名 ${rank}\n`);
  if (result.rows.length === 0) process.stdout.write('no target applies / 无适用的考核目标\n');
  for (const r of result.rows) {
    const d = kpiDefinition(r.kpi);
    const ytd = r.ytd === null ? '' : `  ytd ${num(r.ytd, 2)} (${r.months_covered} mo, progress ${pct(r.time_progress)}, gap ${pct(r.gap)})`;
    process.stdout.write(
      `${r.kpi.padEnd(26)} ${r.target_period.padEnd(7)} target ${num(r.target, 4).padStart(14)}  actual ${num(r.actual, 4).padStart(14)}  ` +
        `${pct(r.attainment).padStart(8)} ${r.status.padEnd(5)} w ${num(r.weight, 2)}${ytd}  ${d?.label_zh ?? ''}\n`,
    );
  }
});

function fetchTargets(settings: Settings, params: { period: string; region: string }): Promise<TargetsResult> {
  return throughServerOrFile(settings, {
    server: async (call) => {
      await asUsage(async () => checkPeriod(params.period));
      const { status, body } = await call<TargetsResult | { error: string }>('GET', `/api/targets?${new URLSearchParams(params)}`, undefined, { accept: [400] });
      if (status === 400) throw new UserError((body as { error: string }).error, EXIT.usage);
      return body as TargetsResult;
    },
    file: (wh) => asUsage(() => getTargets(wh, params)),
  });
}


function num(v: number | null, digits: number): string {
  return v === null ? '—' : String(Number(v.toFixed(digits)));
}

function pct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)}%`;
}
