// Targets judged by hand (targets.md): attainment both ways, a monthly target overriding the annual
// one, additive annual targets on the year to date (time progress, completion, gap), t = 0, missing
// actuals, the score and the ranking with a tie. The figures come from the real models over tiny raw
// extracts, the targets from a real target file through ingest; every expected value is worked out
// in the comments.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../ingest/load.ts';
import { getKpis } from '../queries/kpis.ts';
import { getScorecard, getTargets, judgeMonth } from '../queries/targets.ts';
import { runCliScript } from './helpers/run-command.ts';
import { runModels } from '../warehouse/models.ts';
import { type RawRow, insertRaw, openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';

const A = '330100';
const B = '330200';
const C = '330300';
const D = '330400';
const E = '330500';

let t: TempWarehouse;
let n = 0;

/** `count` complaints of a region in a month; options mark the first few escalated, satisfied, … */
function complaints(region: string, month: string, count: number, o: { escalated?: number; satisfied?: number; dissatisfied?: number; repeats?: number } = {}): RawRow[] {
  return Array.from({ length: count }, (_v, i) => ({
    complaint_id: `C${++n}`,
    received_at: `${month}-05 10:00:00`,
    region_code: region,
    category: 'billing',
    source: i < (o.escalated ?? 0) ? 'media' : 'hotline',
    satisfaction: i < (o.satisfied ?? 0) ? 'satisfied' : i < (o.satisfied ?? 0) + (o.dissatisfied ?? 0) ? 'dissatisfied' : null,
    repeat_of: i < (o.repeats ?? 0) ? 'C0' : null,
  }));
}

function revenue(region: string, month: string, amount: number): RawRow {
  return { period: month, subscription_id: `S${++n}`, customer_id: `K${n}`, region_code: region, service: 'mobile', item: 'rental', amount, discount: 0 };
}

beforeAll(async () => {
  t = await openTempWarehouse();
  // A: complaints 10, 8, 6 (Jan–Mar); in March 3 satisfied and 1 dissatisfied of 6 (2 without an
  // answer) and 1 repeat. Revenue 1000.10 in January, 2000.20 in February, no March revenue extract.
  // B: complaints 25, 25, 20, none escalated. C: 2 complaints in March, both escalated (no Jan/Feb
  // complaint extract). E: 1 complaint in March, escalated. D: no complaint extract at all.
  await insertRaw(t.wh, 'complaint', [...complaints(A, '2026-01', 10), ...complaints(B, '2026-01', 25)]);
  await insertRaw(t.wh, 'complaint', [...complaints(A, '2026-02', 8), ...complaints(B, '2026-02', 25)]);
  await insertRaw(t.wh, 'complaint', [
    ...complaints(A, '2026-03', 6, { satisfied: 3, dissatisfied: 1, repeats: 1 }),
    ...complaints(B, '2026-03', 20),
    ...complaints(C, '2026-03', 2, { escalated: 2 }),
    ...complaints(E, '2026-03', 1, { escalated: 1 }),
  ]);
  // One subscription per region and month: the models' data tests want a subscriber extract beside
  // the others; no target below reads a subscriber figure.
  for (const month of ['2026-01', '2026-02', '2026-03']) {
    await insertRaw(
      t.wh,
      'subscriber',
      [A, B, C, D, E].map((region) => ({
        period: month, subscription_id: `S-${region}`, customer_id: `K-${region}`, segment: 'personal', region_code: region,
        service: 'mobile', activated_on: '2025-06-01', terminated_on: null,
      })),
    );
  }
  await insertRaw(t.wh, 'revenue', [revenue(A, '2026-01', 1000.1)]);
  await insertRaw(t.wh, 'revenue', [revenue(A, '2026-02', 2000.2)]);
  const run = await runModels(t.wh);
  expect(run.tests.filter((x) => x.failures > 0)).toEqual([]);
  const file = join(t.path, '..', 'target_ALL_2026.csv');
  writeFileSync(
    file,
    [
      'region_code,period,kpi,target,weight',
      `${A},2026,complaints,120,50`,
      `${A},2026,satisfaction_rate,0.7,10`,
      `${A},2026-03,satisfaction_rate,80%,30`,
      `${A},2026,revenue,12000,20`,
      `${A},2026,repeat_rate,20%,`,
      `${B},2026,complaints,120,50`,
      `${B},2026-03,escalated_complaints,0,10`,
      `${C},2026,revenue,0,20`,
      `${C},2026-03,escalated_complaints,0,10`,
      `${D},2026,complaints,100,10`,
      `${E},2026-03,escalated_complaints,0,10`,
      `${E},2026-02,escalated_complaints,5,10`,
      'ALL,2026,complaints,600,1',
    ].join('\n') + '\n',
  );
  const loaded = await ingestFile(t.wh, file);
  expect(loaded).toMatchObject({ status: 'loaded', rows_loaded: 13 });
});

afterAll(() => t.close());

const row = (r: Awaited<ReturnType<typeof getTargets>>, kpi: string) => r.rows.find((x) => x.kpi === kpi)!;

describe('targets judged for March 2026', () => {
  it('A: additive annual (lower) on the year to date, a monthly target replacing the annual one, money ytd over the months that have it', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: A });
    expect(r.rows.map((x) => x.kpi)).toEqual(['revenue', 'complaints', 'repeat_rate', 'satisfaction_rate']); // catalogue order
    // complaints, annual 120, lower, additive: m = 3, time progress 3/12 = 0.25, pt = 120 × 3/12 = 30;
    // ytd = 10 + 8 + 6 = 24 over 3 months; attainment = (2 × 30 − 24) / 30 = 36/30 = 1.2 → green;
    // completion = 24/120 = 0.2; gap = 0.2 − 0.25 = −0.05.
    expect(row(r, 'complaints')).toEqual({
      kpi: 'complaints', target: 120, target_period: '2026', actual: 6, ytd: 24, months_covered: 3,
      time_progress: 0.25, completion: 0.2, gap: -0.05, attainment: 1.2, status: 'green', weight: 50,
    });
    // satisfaction_rate: the monthly target 0.8 (written 80%, weight 30) replaces the annual 0.7 (weight
    // 10); not additive. actual = 3 satisfied / 4 answers = 0.75; higher: 0.75/0.8 = 0.9375 → amber.
    expect(row(r, 'satisfaction_rate')).toEqual({
      kpi: 'satisfaction_rate', target: 0.8, target_period: '2026-03', actual: 0.75, ytd: null, months_covered: null,
      time_progress: null, completion: null, gap: null, attainment: 0.9375, status: 'amber', weight: 30,
    });
    // revenue, annual 12000, higher, additive: no March revenue extract, so the month's actual is null
    // and March is not counted: ytd = 1000.10 + 2000.20 = 3000.30 over 2 months; pt = 12000 × 3/12 =
    // 3000; attainment = 3000.30/3000 = 1.0001 → green; completion = 3000.30/12000 = 0.250025;
    // gap = 0.250025 − 0.25 = 0.000025.
    expect(row(r, 'revenue')).toEqual({
      kpi: 'revenue', target: 12000, target_period: '2026', actual: null, ytd: 3000.3, months_covered: 2,
      time_progress: 0.25, completion: 0.250025, gap: 0.000025, attainment: 1.0001, status: 'green', weight: 20,
    });
    // repeat_rate, annual 20% (non-additive: judged on the month), lower: actual 1/6;
    // attainment = (2 × 0.2 − 1/6) / 0.2 = (0.4 − 0.1666…)/0.2 = 1.1666666667 → green; no weight.
    expect(row(r, 'repeat_rate')).toMatchObject({ target: 0.2, target_period: '2026', ytd: null, status: 'green', weight: null });
    expect(row(r, 'repeat_rate').actual).toBeCloseTo(1 / 6, 12);
    expect(row(r, 'repeat_rate').attainment).toBeCloseTo(7 / 6, 9);
    // score = 100 × (50 × min(1.2, 1.2) + 30 × 0.9375 + 20 × 1.0001) / (50 + 30 + 20)
    //       = 100 × (60 + 28.125 + 20.002) / 100 = 108.127; repeat_rate has no weight.
    expect(r.score).toBeCloseTo(108.127, 9);
    expect(r.scored_kpis).toEqual(['revenue', 'complaints', 'satisfaction_rate']);
    expect(r).toMatchObject({ period: '2026-03', region: A, rank: 1, ranked: 4 });
  });

  it('the actuals are the figures GET /api/kpis answers', async () => {
    const k = (await getKpis(t.wh, { period: '2026-03', region: A })).kpis;
    const r = await getTargets(t.wh, { period: '2026-03', region: A });
    for (const x of r.rows) expect(x.actual, x.kpi).toBe(k[x.kpi]);
  });

  it('B: an annual lower target overshot floors at 0; a monthly t = 0 target of a lower key met with 0', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: B });
    // complaints: ytd = 25 + 25 + 20 = 70; pt = 30; (60 − 70)/30 < 0 → 0 → red;
    // completion = 70/120 = 0.5833333333; gap = 0.5833333333 − 0.25 = 0.3333333333.
    expect(row(r, 'complaints')).toMatchObject({ ytd: 70, months_covered: 3, attainment: 0, status: 'red', time_progress: 0.25 });
    expect(row(r, 'complaints').completion).toBeCloseTo(70 / 120, 9);
    expect(row(r, 'complaints').gap).toBeCloseTo(70 / 120 - 0.25, 9);
    // escalated_complaints, monthly t = 0, lower, actual 0 ≤ 0 → attainment 1 → green (monthly: no ytd).
    expect(row(r, 'escalated_complaints')).toMatchObject({ target: 0, target_period: '2026-03', actual: 0, ytd: null, attainment: 1, status: 'green' });
    // score = 100 × (50 × 0 + 10 × 1) / (50 + 10) = 1000/60 = 16.6666666667.
    expect(r.score).toBeCloseTo(1000 / 60, 9);
    expect(r.rank).toBe(2);
  });

  it('C: t = 0 of a higher key is null (none, not scored); t = 0 of a lower key missed is 0', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: C });
    // revenue annual 0, higher: no attainment whatever the figure (C has no revenue extract either).
    expect(row(r, 'revenue')).toMatchObject({ target: 0, attainment: null, status: 'none', completion: null, gap: null, months_covered: 0, ytd: null });
    // escalated_complaints monthly 0, lower, actual 2 > 0 → 0 → red.
    expect(row(r, 'escalated_complaints')).toMatchObject({ actual: 2, attainment: 0, status: 'red' });
    // score = 100 × 10 × 0 / 10 = 0 (revenue has a weight but no attainment: left out).
    expect(r.score).toBe(0);
    expect(r.scored_kpis).toEqual(['escalated_complaints']);
  });

  it('D: no complaint extract at all — actual and ytd null, status none, no score and no rank', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: D });
    expect(r.rows).toEqual([
      {
        kpi: 'complaints', target: 100, target_period: '2026', actual: null, ytd: null, months_covered: 0,
        time_progress: 0.25, completion: null, gap: null, attainment: null, status: 'none', weight: 10,
      },
    ]);
    expect(r).toMatchObject({ score: null, rank: null, ranked: 4, scored_kpis: [] });
  });

  it('a region without targets has no rows; a February target does not apply to March', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: '330600' });
    expect(r).toEqual({ period: '2026-03', region: '330600', score: null, rank: null, ranked: 4, rows: [], scored_kpis: [] });
    const e = await getTargets(t.wh, { period: '2026-03', region: E });
    expect(e.rows.map((x) => `${x.kpi} ${x.target_period}`)).toEqual(['escalated_complaints 2026-03']);
  });

  it('ALL: the province judged on its own targets, scored, never ranked', async () => {
    const r = await getTargets(t.wh, { period: '2026-03', region: 'ALL' });
    // The province's complaints: Jan 10 + 25 = 35, Feb 8 + 25 = 33, Mar 6 + 20 + 2 + 1 = 29; ytd = 97.
    // pt = 600 × 3/12 = 150; attainment = (300 − 97)/150 = 1.3533333333 → green; score = 100 × min(1.35…, 1.2) = 120.
    expect(row(r, 'complaints')).toMatchObject({ ytd: 97, months_covered: 3, status: 'green' });
    expect(row(r, 'complaints').attainment).toBeCloseTo(203 / 150, 9);
    expect(r).toMatchObject({ region: 'ALL', score: 120, rank: null, ranked: 4 });
  });

  it('the scorecard: best first, C and E tie at 0 and share rank 3, regions without a score last and unranked', async () => {
    const s = await getScorecard(t.wh, { period: '2026-03' });
    expect(s.period).toBe('2026-03');
    expect(s.rows.map((r) => [r.region_code, r.rank])).toEqual([
      [A, 1],
      [B, 2],
      [C, 3],
      [E, 3],
      [D, null],
      ['330600', null],
      ['330700', null],
      ['330800', null],
      ['330900', null],
      ['331000', null],
      ['331100', null],
    ]);
    expect(s.rows[0]).toMatchObject({ name_zh: '杭州市', name_en: 'Hangzhou' });
    expect(s.rows[0]!.score).toBeCloseTo(108.127, 9);
    expect(s.rows[3]!.score).toBe(0);
    const month = await judgeMonth(t.wh, { period: '2026-03' });
    expect(month.ranked).toBe(4);
  });

  it('a month without targets or figures answers empty rows, and a bad period is refused', async () => {
    expect(await getTargets(t.wh, { period: '2025-03', region: A })).toMatchObject({ rows: [], score: null, rank: null, ranked: 0 });
    await expect(getTargets(t.wh, { period: '2026-3', region: A })).rejects.toThrow(/YYYY-MM/);
    await expect(getTargets(t.wh, { period: '2026-03', region: '999999' })).rejects.toThrow(/region list/);
  });

  it('npm run targets -- --json on the file (no server) prints the same object, in targets.md\'s shape', async () => {
    const expected = await getTargets(t.wh, { period: '2026-03', region: A });
    t.closeDb();
    const r = await runCliScript('cli/targets.ts', ['--db', t.path, '--period', '2026-03', '--region', A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual(expected);
    expect(Object.keys(body)).toEqual(['period', 'region', 'score', 'rank', 'ranked', 'rows', 'scored_kpis']);
    const table = await runCliScript('cli/targets.ts', ['--db', t.path, '--period', '2026-03', '--region', A]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^2026-03 {2}330100 {2}score \/ 得分 108\.13 {2}rank \/ 排名 1 \/ 4$/m);
    expect(table.stdout).toMatch(/^complaints .*120\.0% green/m);
  });
});
