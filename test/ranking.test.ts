// GET /api/kpis/ranking ranks the cities by the KPI's direction (kpis.md v2): rank 1 = the best,
// ties share the smaller rank, cities without a figure last and unranked, a `none` KPI not ranked —
// domain/ranking.ts's rule, the one the board, the wall and the briefings use — and says which nulls
// are "not reported" (the KPI's source extract has not arrived for that city).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { rankByDirection } from '../domain/ranking.ts';
import { ingestFile } from '../ingest/load.ts';
import { runModels } from '../warehouse/models.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';

const HEAD = 'period,subscription_id,customer_id,segment,region_code,service,activated_on,terminated_on';
/** Mobile subscriptions of one city, one customer each, activated in 2020 unless `dates` says otherwise. */
const subs = (period: string, region: string, ids: string[], dates: Record<string, { on?: string; off?: string }> = {}) =>
  ids.map((id) => `${period},${region}-${id},C-${region}-${id},personal,${region},mobile,${dates[id]?.on ?? '2020-01-01'},${dates[id]?.off ?? ''}`);

// 2026-08 → 2026-09, active at the end of August / churned in September / active at the end of September:
//   330100  4 / 1 (a1)      / 3   churn 1/4 = 0.25
//   330200  4 / 2 (b1, b2)  / 2   churn 2/4 = 0.5
//   330300  2 / 1 (c1)      / 2   churn 1/2 = 0.5 (c3 is new)
//   330400  4 / 0           / 4   churn 0
//   330500  — (no August extract) / 0 / 1   churn null, but its September extract has arrived
//   the six other cities: no subscriber extract for September at all — not reported.
const AUGUST = [
  ...subs('2026-08', '330100', ['a1', 'a2', 'a3', 'a4']),
  ...subs('2026-08', '330200', ['b1', 'b2', 'b3', 'b4']),
  ...subs('2026-08', '330300', ['c1', 'c2']),
  ...subs('2026-08', '330400', ['d1', 'd2', 'd3', 'd4']),
];
const SEPTEMBER = [
  ...subs('2026-09', '330100', ['a1', 'a2', 'a3', 'a4'], { a1: { off: '2026-09-10' } }),
  ...subs('2026-09', '330200', ['b1', 'b2', 'b3', 'b4'], { b1: { off: '2026-09-03' }, b2: { off: '2026-09-20' } }),
  ...subs('2026-09', '330300', ['c1', 'c2', 'c3'], { c1: { off: '2026-09-30' }, c3: { on: '2026-09-02' } }),
  ...subs('2026-09', '330400', ['d1', 'd2', 'd3', 'd4']),
  ...subs('2026-09', '330500', ['e1']),
];
const UNREPORTED = ['330600', '330700', '330800', '330900', '331000', '331100'];

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({
    prepare: async (wh, dir) => {
      for (const [name, lines] of [['subscriber_ALL_202608.csv', AUGUST], ['subscriber_ALL_202609.csv', SEPTEMBER]] as const) {
        writeFileSync(join(dir, name), [HEAD, ...lines].join('\n') + '\n');
        expect((await ingestFile(wh, join(dir, name))).status).toBe('loaded');
      }
      await runModels(wh);
    },
  });
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

interface Ranking {
  key: string;
  period: string;
  direction: string;
  better: string;
  rows: { region_code: string; name_zh: string; name_en: string | null; value: number | null; rank: number | null; not_reported: boolean; better: string }[];
}
async function ranking(key: string): Promise<Ranking> {
  const res = await ts.fetch(`/api/kpis/ranking?key=${key}&period=2026-09`, { as: 'exec' });
  expect(res.status).toBe(200);
  return (await res.json()) as Ranking;
}
const brief = (r: Ranking) => r.rows.map((x) => [x.region_code, x.value, x.rank, x.not_reported]);
const unreported = UNREPORTED.map((code) => [code, null, null, true]);

describe('GET /api/kpis/ranking', () => {
  it('ranks a lower-is-better KPI lowest first: churn_rate, a tie sharing the smaller rank, nulls last', async () => {
    const r = await ranking('churn_rate');
    expect(r).toMatchObject({ key: 'churn_rate', period: '2026-09', direction: 'lower', better: 'lower' });
    // Every row says which way is better, so a row read alone still says how its rank was made.
    expect(new Set(r.rows.map((x) => x.better))).toEqual(new Set(['lower']));
    expect(brief(r)).toEqual([
      ['330400', 0, 1, false],
      ['330100', 0.25, 2, false],
      ['330200', 0.5, 3, false],
      ['330300', 0.5, 3, false],
      ['330500', null, null, false], // no August to compare with: null, yet its extract arrived
      ...unreported,
    ]);
    expect(r.rows[0]).toMatchObject({ name_zh: '嘉兴市', name_en: 'Jiaxing' });
  });

  it('ranks a higher-is-better KPI highest first: active_subscriptions, ranks 1, 2, 3, 3, 5', async () => {
    const r = await ranking('active_subscriptions');
    expect(r.direction).toBe('higher');
    expect(brief(r)).toEqual([
      ['330400', 4, 1, false],
      ['330100', 3, 2, false],
      ['330200', 2, 3, false],
      ['330300', 2, 3, false],
      ['330500', 1, 5, false],
      ...unreported,
    ]);
  });

  it('does not rank a KPI without a direction: customers_1_play, every rank null, the cities in code order', async () => {
    const r = await ranking('customers_1_play');
    expect(r.direction).toBe('none');
    expect(brief(r)).toEqual([
      ['330100', 3, null, false],
      ['330200', 2, null, false],
      ['330300', 2, null, false],
      ['330400', 4, null, false],
      ['330500', 1, null, false],
      ...unreported,
    ]);
  });

  it('is domain/ranking.ts\'s rule over the same values, for every key of each direction', async () => {
    for (const key of ['churn_rate', 'active_subscriptions', 'customers_1_play', 'churned', 'net_adds', 'gross_adds']) {
      const r = await ranking(key);
      const byCode = [...r.rows].sort((a, b) => a.region_code.localeCompare(b.region_code));
      expect(byCode.map((x) => x.region_code)).toEqual(ZHEJIANG_CITIES.map((c) => c.code));
      const expected = rankByDirection(byCode, (x) => x.value, kpiDefinition(key)!.direction);
      expect(r.rows.map((x) => [x.region_code, x.rank]), key).toEqual(expected.map((x) => [x.item.region_code, x.rank]));
    }
  });
});
