// Targets judged against the KPI figures (考核): for one month, every region's targets that apply
// (queries/targets-applicable.sql), the month's figures and the year to date from mart_kpis — the
// same figures GET /api/kpis answers — then the arithmetic of domain/targets.ts: attainment, status,
// the score and the rank. getTargets answers one region (the CLI and GET /api/targets), getScorecard
// the league (GET /api/scorecard), judgeMonth every region at once (the alerts, the board's league).
import type { DuckDBValue } from '@duckdb/node-api';
import { KPI_KEYS, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { ALL_REGIONS } from '../domain/region-code.ts';
import {
  type ScorecardResult,
  type TargetRow,
  type TargetsResult,
  judgeTarget,
  rankScores,
  scoreOf,
} from '../domain/targets.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { checkPeriod, checkRegion } from './kpis.ts';
import { runQuery, tableExists, toKpiNumber } from './sql.ts';

export type { ScorecardResult, ScorecardRow, TargetRow, TargetStatus, TargetsResult } from '../domain/targets.ts';

export interface JudgedRegion {
  region_code: string;
  name_zh: string;
  name_en: string | null;
  score: number | null;
  /** Null for ALL and for a region without a score. */
  rank: number | null;
  scored_kpis: string[];
  rows: TargetRow[];
}

export interface JudgedMonth {
  period: string;
  /** How many regions of the list have a score. */
  ranked: number;
  /** Every region of the list in code order, then ALL. */
  regions: JudgedRegion[];
}

const ORDER = new Map(KPI_KEYS.map((k, i) => [k, i]));

/** Every region's targets for a month ('YYYY-MM'), judged, scored and ranked. */
export async function judgeMonth(wh: Warehouse, params: { period: string }): Promise<JudgedMonth> {
  const period = checkPeriod(params.period);
  const year = period.slice(0, 4);
  const regionList = await wh.all<{ code: string; name_zh: string; name_en: string | null }>('select code, name_zh, name_en from regions order by code');
  const targets = (await tableExists(wh, 'raw_target')) ? await runQuery(wh, 'targets-applicable', { month: period, year }) : [];
  const haveMart = targets.length > 0 && (await tableExists(wh, 'mart_kpis'));
  const month = haveMart ? byRegion(await runQuery(wh, 'targets-month', { period: `${period}-01` })) : new Map();
  const ytd = haveMart ? byRegion(await runQuery(wh, 'targets-ytd', { from: `${year}-01-01`, to: `${period}-01` })) : new Map();

  const rowsOf = new Map<string, TargetRow[]>();
  for (const t of targets) {
    const region = String(t.region_code);
    const kpi = String(t.kpi);
    const def = kpiDefinition(kpi);
    // A key the catalogue no longer has (a target loaded under an older catalogue) is not judged.
    if (!def) continue;
    const figures = month.get(region);
    const sums = ytd.get(region);
    const row = judgeTarget({
      kpi,
      direction: def.direction,
      additive: def.additive,
      target: toKpiNumber(t.target ?? null)!,
      target_period: String(t.target_period),
      weight: toKpiNumber(t.weight ?? null),
      period,
      actual: figures ? toKpiNumber(figures[kpi] ?? null) : null,
      ytd: sums ? toKpiNumber(sums[kpi] ?? null) : null,
      months_covered: sums ? (toKpiNumber(sums[`n_${kpi}`] ?? null) ?? 0) : 0,
    });
    rowsOf.set(region, [...(rowsOf.get(region) ?? []), row]);
  }
  for (const rows of rowsOf.values()) rows.sort((a, b) => (ORDER.get(a.kpi) ?? 0) - (ORDER.get(b.kpi) ?? 0));

  const judged = (code: string, name_zh: string, name_en: string | null): JudgedRegion => {
    const rows = rowsOf.get(code) ?? [];
    const { score, scored_kpis } = scoreOf(rows);
    return { region_code: code, name_zh, name_en, score, rank: null, scored_kpis, rows };
  };
  const cities = regionList.map((r) => judged(r.code, r.name_zh, r.name_en));
  const ranks = new Map(rankScores(cities, (c) => c.score).map(({ item, rank }) => [item.region_code, rank]));
  for (const c of cities) c.rank = ranks.get(c.region_code) ?? null;
  const ranked = cities.filter((c) => c.score !== null).length;
  return { period, ranked, regions: [...cities, judged(ALL_REGIONS, '全省', 'Province')] };
}

/** One region's (or ALL's) targets for a month: `npm run targets -- --json` and GET /api/targets. */
export async function getTargets(wh: Warehouse, params: { period: string; region?: string }): Promise<TargetsResult> {
  const period = checkPeriod(params.period);
  const region = await checkRegion(wh, params.region ?? ALL_REGIONS);
  const all = await judgeMonth(wh, { period });
  const r = all.regions.find((x) => x.region_code === region)!;
  return { period, region, score: r.score, rank: r.rank, ranked: all.ranked, rows: r.rows, scored_kpis: r.scored_kpis };
}

/** The league of a month: every region of the list by score, best first (GET /api/scorecard). */
export async function getScorecard(wh: Warehouse, params: { period: string }): Promise<ScorecardResult> {
  const period = checkPeriod(params.period);
  const all = await judgeMonth(wh, { period });
  const cities = all.regions.filter((r) => r.region_code !== ALL_REGIONS);
  const rows = rankScores(cities, (c) => c.score).map(({ item }) => ({
    region_code: item.region_code,
    name_zh: item.name_zh,
    name_en: item.name_en,
    score: item.score,
    rank: item.rank,
  }));
  return { period, rows };
}

/** The targets loaded (the admins' and analysts' targets page): every current row, newest period first. */
export async function listTargets(wh: Warehouse): Promise<{ targets: LoadedTarget[] }> {
  if (!(await tableExists(wh, 'raw_target'))) return { targets: [] };
  const rows = await runQuery(wh, 'targets-loaded', {});
  return {
    targets: rows.map((r) => ({
      region_code: String(r.region_code),
      period: String(r.period),
      kpi: String(r.kpi),
      target: toKpiNumber(r.target ?? null)!,
      weight: toKpiNumber(r.weight ?? null),
      load_id: Number(r.load_id),
      file: String(r.file),
    })),
  };
}

export interface LoadedTarget {
  region_code: string;
  period: string;
  kpi: string;
  target: number;
  weight: number | null;
  load_id: number;
  file: string;
}

function byRegion(rows: Record<string, DuckDBValue>[]): Map<string, Record<string, DuckDBValue>> {
  return new Map(rows.map((r) => [String(r.region_code), r]));
}
