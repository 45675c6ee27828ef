// `npm run bench -- models [--subscribers N] [--json] [--keep DIR]`: the model runner at N
// subscriptions (default 1,000,000) × 12 months. Full refresh over 12 months, then one new month
// loaded and the incremental refresh of its slices; both include the data tests. For scale, the
// time raw DuckDB takes to read every raw row once. The data are generated inside DuckDB
// (bench/models-data.sql) and inserted straight into the raw tables, one load per kind and month with
// its slices, as ingest leaves them after the demo extracts `<kind>_ALL_<YYYYMM>.csv`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { KINDS } from '../domain/contracts.ts';
import { runModels, type ModelRunResult } from '../warehouse/models.ts';
import { addMonths } from '../domain/period.ts';
import { execSql, readSql, splitStatements } from '../warehouse/models-sql.ts';

export const MONTHS = 12;
export const START = '2025-10';

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      json: { type: 'boolean', default: false },
      keep: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.subscribers);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--subscribers must be an integer ≥ 100, got ${values.subscribers}`);
  const log = (m: string) => {
    if (!values.json) process.stderr.write(`${m}\n`);
  };
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'bench-models-'));
  const settings = normalizeSettings({ db: join(dir, 'bench.duckdb') });
  const wh = await Warehouse.open(settings);
  try {
    log(`generating ${n} subscriptions × ${MONTHS} months in ${dir} (memory limit ${settings.memoryLimit})`);
    let t = performance.now();
    await generate(wh, n, 0, MONTHS - 1);
    const counts = await wh.one<Record<string, bigint>>(
      `select (select count(*) from raw_subscriber) as subscriber, (select count(*) from raw_revenue) as revenue,
              (select count(*) from raw_channel) as channel, (select count(*) from raw_complaint) as complaint`,
    );
    log(`  ${seconds(t)} s: ${Object.entries(counts ?? {}).map(([k, v]) => `${v} ${k}`).join(', ')} rows`);
    await wh.run('checkpoint');

    t = performance.now();
    await wh.one(`select count(*), max(customer_id), max(bundle_id), max(channel_id), max(terminated_on) from raw_subscriber`);
    await wh.one(`select count(*), sum(amount), sum(discount), max(customer_id), max(subscription_id) from raw_revenue`);
    const rawScan = seconds(t);
    log(`raw DuckDB, one pass over the subscriber and revenue rows: ${rawScan} s`);

    const logger = values.verbose ? { logger: { info: log } } : {};
    t = performance.now();
    let cpu = process.cpuUsage();
    const full = await runModels(wh, logger);
    const fullS = seconds(t);
    const fullCpu = cpuSeconds(cpu);
    log(report('full refresh, 12 months', fullS, fullCpu, full));

    const newMonth = addMonths(START, MONTHS);
    await generate(wh, n, MONTHS, MONTHS);
    await wh.run('checkpoint');
    const regions = (await wh.all<{ code: string }>('select distinct region_code as code from raw_subscriber order by 1')).map((r) => r.code);
    const slices = KINDS.flatMap((kind) => regions.map((region_code) => ({ kind, region_code, period: newMonth })));
    t = performance.now();
    cpu = process.cpuUsage();
    const incremental = await runModels(wh, { slices, ...logger });
    const incrementalS = seconds(t);
    const incrementalCpu = cpuSeconds(cpu);
    log(report(`incremental refresh after loading ${newMonth}`, incrementalS, incrementalCpu, incremental));

    const ratio = Math.round((incrementalS / fullS) * 1000) / 1000;
    log(`ratio incremental / full: ${ratio}`);
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({
          bench: 'models',
          subscribers: n,
          full_s: fullS,
          incremental_s: incrementalS,
          ratio,
          full_cpu_s: fullCpu,
          incremental_cpu_s: incrementalCpu,
          raw_scan_s: rawScan,
        })}\n`,
      );
    }
    if (full.failed > 0 || incremental.failed > 0) throw new Error('data tests failed on the benchmark data');
  } finally {
    wh.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Inserts months from..to (0-based from START) of the synthetic universe into the raw tables. */
export async function generate(wh: Warehouse, n: number, from: number, to: number): Promise<void> {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'models-data.sql');
  const bindings = { values: { n, start: `${START}-01`, months: MONTHS + 1, m_from: from, m_to: to } };
  for (const statement of splitStatements(readSql(path))) await execSql(wh, statement, bindings, 'models-data.sql');
}

function seconds(start: number): number {
  return Math.round((performance.now() - start) / 10) / 100;
}

/** CPU seconds of this process (DuckDB's threads included) since `start`: what a busy machine does not distort. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 10_000) / 100;
}

function report(title: string, s: number, cpu: number, r: ModelRunResult): string {
  const slowest = [...r.models].sort((a, b) => b.ms - a.ms).slice(0, 4);
  const testMs = r.tests.reduce((sum, x) => sum + x.ms, 0);
  return `${title}: ${s} s, ${cpu} CPU s (${r.periods.length} period(s); tests ${(testMs / 1000).toFixed(1)} s, ${r.failed} failed; slowest ${slowest
    .map((m) => `${m.name} ${(m.ms / 1000).toFixed(1)} s`)
    .join(', ')})`;
}
