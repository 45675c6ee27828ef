// The briefing's figures come from the KPI query layer — the functions behind /api/kpis — and from
// nowhere else, so a briefing holds the board's numbers exactly.
import { getBreakdown, getKpis, getRanking, getSeries } from '../queries/kpis.ts';
import { getScorecard, getTargets } from '../queries/targets.ts';
import type { Warehouse } from '../warehouse/db.ts';
import type { Values } from './briefing.ts';
import type { KpiSource } from './content.ts';

export function queryLayerSource(wh: Warehouse): KpiSource {
  return {
    kpis: async (period, region) => {
      const answer = await getKpis(wh, { period, region });
      return { kpis: answer.kpis, missing: answer.missing_extracts };
    },
    series: async (key, region, from, to) => (await getSeries(wh, { key, region, from, to })).points,
    ranking: async (key, period) =>
      (await getRanking(wh, { key, period })).rows.map((r) => ({ region_code: r.region_code, value: r.value, not_reported: r.not_reported })),
    breakdown: async (period, region, dimension) =>
      (await getBreakdown(wh, { period, region, dimension })).rows.map((r) => {
        const values: Values = {};
        for (const [k, v] of Object.entries(r)) if (typeof v === 'number' || v === null) values[k] = v;
        return { code: String(r.code), values };
      }),
    targets: (period, region) => getTargets(wh, { period, region }),
    scorecard: async (period) => (await getScorecard(wh, { period })).rows,
  };
}
