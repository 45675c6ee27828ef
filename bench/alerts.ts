// `npm run bench -- alerts [--subscribers N] [--rules R] [--json]`: how long the alert rules take to
// judge after a model run at N subscriptions (default 1,000,000) × 12 months. The data are those of
// the models benchmark (generated in DuckDB, bench/models-data.sql); after the full refresh, R rules
// (default 24: every condition form, scope each / ALL / one city, each with a webhook to a local
// receiver) are added, month 13 is loaded and refreshed incrementally like a load of every city, and
// the alert service (server/alerts.ts) judges the rules for the touched regions — first when they fire
// (alerts written, events and webhooks started), then re-judged while they still hold. The webhooks run
// in the background and are not part of the time, as in the server. Target (issue 12): ≤ 200 ms.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AlertCondition, AlertRuleInput } from '../domain/alerts.ts';
import { DATA_KINDS } from '../domain/contracts.ts';
import { addMonths } from '../domain/period.ts';
import { AlertService } from '../server/alerts.ts';
import { EventHub } from '../server/events.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { runModels } from '../warehouse/models.ts';
import { MONTHS, START, generate } from './models.ts';

const KPIS = ['escalated_complaints', 'complaints', 'churn_rate', 'revenue', 'arpu', 'convergence_rate', 'gross_adds', 'complaints_per_10k'];

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

function rulesFor(count: number, hook: string): AlertRuleInput[] {
  const conditions: AlertCondition[] = [{ op: '>', value: 0 }, { change_pct: 0.01 }, { op: '<', value: 1e12 }, { status: 'red' }];
  const scopes = ['each', 'ALL', '330300'];
  return Array.from({ length: count }, (_v, i) => ({
    name: `bench rule ${i + 1}`,
    kpi: KPIS[i % KPIS.length]!,
    scope: scopes[i % scopes.length]!,
    condition: conditions[i % conditions.length]!,
    deliveries: [{ url: hook, format: (['json', 'wecom', 'dingtalk'] as const)[i % 3]! }],
  }));
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      rules: { type: 'string', default: '24' },
      json: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.subscribers);
  const ruleCount = Number(values.rules);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--subscribers must be an integer ≥ 100, got ${values.subscribers}`);
  if (!Number.isInteger(ruleCount) || ruleCount < 1) throw new Error(`--rules must be a positive integer, got ${values.rules}`);
  const log = (m: string) => {
    if (!values.json) process.stderr.write(`${m}\n`);
  };
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.end('{"errcode":0}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const wh = await Warehouse.open(normalizeSettings({ db: join(dir, 'bench.duckdb') }));
  const db = await wh.fork();
  const events = new EventHub();
  const service = new AlertService({
    db,
    events,
    now: () => new Date(),
    log: { info: () => {}, error: () => {} },
    webhooks: { timeoutMs: 5000, tries: 3, backoffMs: 1000 },
    baseUrl: () => 'http://127.0.0.1:8080',
  });
  try {
    log(`generating ${n} subscriptions × ${MONTHS} months and the full model run …`);
    let t = performance.now();
    await generate(wh, n, 0, MONTHS - 1);
    await runModels(wh);
    log(`  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const rule of rulesFor(ruleCount, hook)) await service.addRule(rule, 'bench');

    const month = addMonths(START, MONTHS);
    await generate(wh, n, MONTHS, MONTHS);
    const regions = (await wh.all<{ code: string }>('select distinct region_code as code from raw_subscriber order by 1')).map((r) => r.code);
    t = performance.now();
    const run = await runModels(wh, { slices: DATA_KINDS.flatMap((kind) => regions.map((region_code) => ({ kind, region_code, period: month }))) });
    const runMs = performance.now() - t;
    log(`incremental model run for ${month} (${regions.length} cities): ${(runMs / 1000).toFixed(2)} s`);

    const touched = new Set((run.slices ?? []).map((s) => s.region_code));
    // CPU time (this process, DuckDB's threads included) beside the wall time: on a busy machine the
    // wall time measures the queue for the cores as much as the work.
    t = performance.now();
    let cpu = process.cpuUsage();
    const first = await service.evaluate(touched);
    const firstMs = performance.now() - t;
    const firstCpu = cpuMs(cpu);
    log(`first evaluation after the run: ${firstMs.toFixed(0)} ms (${firstCpu} CPU ms) — ${first.judged} judged, ${first.fired.length} fired, ${first.resolved.length} resolved`);
    await service.idle();
    const again: { ms: number; cpu: number }[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      cpu = process.cpuUsage();
      const r = await service.evaluate(touched);
      again.push({ ms: performance.now() - t, cpu: cpuMs(cpu) });
      if (r.fired.length > 0) throw new Error('a re-evaluation fired again');
    }
    again.sort((a, b) => a.ms - b.ms);
    const median = again[2]!.ms;
    log(`re-evaluations (still firing, nothing new), median / max of 5: ${median.toFixed(0)} / ${again[4]!.ms.toFixed(0)} ms (median ${again[2]!.cpu} CPU ms)`);
    log(`webhook bodies received meanwhile (in the background): ${received}`);
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ bench: 'alerts', subscribers: n, rules: ruleCount, judged: first.judged, fired: first.fired.length, first_ms: Math.round(firstMs), first_cpu_ms: firstCpu, again_median_ms: Math.round(median), again_median_cpu_ms: again[2]!.cpu, again_max_ms: Math.round(again[4]!.ms), model_run_ms: Math.round(runMs), webhooks: received })}\n`,
      );
    }
  } finally {
    await service.close();
    events.close();
    db.close();
    wh.close();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
