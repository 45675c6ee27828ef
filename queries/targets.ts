// Targets judged against the KPI figures (考核): for one month, every region's targets that apply
// (queries/targets-applicable.sql), the month's figures and the year to date from mart_kpis — the
// same figures GET /api/kpis answers — then the arithmetic of domain/targets.ts: attainment, status,
// the score and the rank. getTargets answers one region (the CLI and GET /api/targets), getScorecard
// the league (GET /api/scorecard), judgeMonth every region at once (the alerts, the board's league).
import { type DuckDBValue, listValue } from '@duckdb/node-api';
import { KPI_KEYS, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { ALL_REGIONS } from '../domain/region-code.ts';
import {
  type LoadedTarget,
  type ScorecardResult,
  type TargetRow,
  type TargetsResult,
  judgeTarget,
  rankScores,
  scoreOf,
} from '../domain/targets.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { checkPeriod, checkRegion } from './kpis.ts';
import { type ChRow, READ_SETTINGS, chColumns, chKpiNumber, runChQuery } from './clickhouse/sql.ts';
import { runQuery, tableExists, toKpiNumber } from './sql.ts';
import { ident, literal } from '../warehouse/clickhouse/data-plane.ts';

export type { LoadedTarget, ScorecardResult, ScorecardRow, TargetRow, TargetStatus, TargetsResult } from '../domain/targets.ts';

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
  // Only the columns the targets name: the month's figure of each, the year to date of the additive ones.
  const keys = [...new Set(targets.map((t) => String(t.kpi)).filter((k) => kpiDefinition(k) !== undefined))];
  const { month, ytd } = keys.length > 0 ? await actuals(wh, period, year, keys) : { month: new Map(), ytd: new Map() };

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
  return targetsOf(await judgeMonth(wh, { period }), region);
}

/** The league of a month: every region of the list by score, best first (GET /api/scorecard). */
export async function getScorecard(wh: Warehouse, params: { period: string }): Promise<ScorecardResult> {
  return scorecardOf(await judgeMonth(wh, { period: checkPeriod(params.period) }));
}

/** One region's answer from a judged month (the server judges a month once for all its regions). */
export function targetsOf(all: JudgedMonth, region: string): TargetsResult {
  const r = all.regions.find((x) => x.region_code === region);
  if (!r) return { period: all.period, region, score: null, rank: null, ranked: all.ranked, rows: [], scored_kpis: [] };
  return { period: all.period, region, score: r.score, rank: r.rank, ranked: all.ranked, rows: r.rows, scored_kpis: r.scored_kpis };
}

/** The scorecard of a judged month: the cities best first, those without a score last in code order. */
export function scorecardOf(all: JudgedMonth): ScorecardResult {
  const cities = all.regions.filter((r) => r.region_code !== ALL_REGIONS);
  const rows = rankScores(cities, (c) => c.score).map(({ item }) => ({
    region_code: item.region_code,
    name_zh: item.name_zh,
    name_en: item.name_en,
    score: item.score,
    rank: item.rank,
  }));
  return { period: all.period, rows };
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

type Figures = Map<string, Record<string, DuckDBValue>>;

function byRegion(rows: Record<string, DuckDBValue>[]): Figures {
  return new Map(rows.map((r) => [String(r.region_code), r]));
}

/**
 * The month's figures and the year to date of every region, from the marts of the engine: DuckDB's
 * (../targets-month.sql, ../targets-ytd.sql) or the ClickHouse cluster's (clickhouse/), the same
 * shapes — on ClickHouse every figure comes back as a number (counts, Decimal money as its exact
 * text read as the nearest double, as GET /api/kpis gives it) or null.
 */
async function actuals(wh: Warehouse, period: string, year: string, keys: string[]): Promise<{ month: Figures; ytd: Figures }> {
  const ch = wh.clickhouse;
  if (!ch) {
    if (!(await tableExists(wh, 'mart_kpis'))) return { month: new Map(), ytd: new Map() };
    // On DuckDB only the columns the targets name ($keys): the year to date of the additive ones.
    const additive = keys.filter((k) => kpiDefinition(k)!.additive);
    return {
      month: byRegion(await runQuery(wh, 'targets-month', { period: `${period}-01`, keys: listValue(keys) })),
      ytd: additive.length > 0 ? byRegion(await runQuery(wh, 'targets-ytd', { from: `${year}-01-01`, to: `${period}-01`, keys: listValue(additive) })) : new Map(),
    };
  }
  const columns = (await chColumns(ch, 'mart_kpis')).filter((c) => c !== 'period' && c !== 'region_code');
  if (columns.length === 0) return { month: new Map(), ytd: new Map() };
  const numbers = (rows: ChRow[]): Figures =>
    new Map(rows.map((r) => [String(r.region_code), Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'region_code' ? String(v) : chKpiNumber(v)]))]));
  const month = numbers(await runChQuery(ch, 'mart-kpis-months', { from: `${period}-01`, to: `${period}-01` }));
  // The year to date: each figure summed (Decimal money exactly, by the engine) and n_<key> the months
  // that have it; null when none has (ClickHouse's sum of nothing is 0). Named s_<key> in the query:
  // an alias is visible in the whole SELECT on ClickHouse, so sum(x) AS x would nest in count(x).
  const sums = columns.map((c) => `sum(${ident(c)}) AS ${ident(`s_${c}`)}, count(${ident(c)}) AS ${ident(`n_${c}`)}`);
  const rows = await ch.query<ChRow>(
    `SELECT region_code, ${sums.join(', ')} FROM mart_kpis WHERE period BETWEEN toDate(${literal(`${year}-01-01`)}) AND toDate(${literal(`${period}-01`)}) GROUP BY region_code`,
    READ_SETTINGS,
  );
  const ytd: Figures = new Map(
    rows.map((r) => {
      const figures: Record<string, DuckDBValue> = { region_code: String(r.region_code) };
      for (const c of columns) {
        const n = chKpiNumber(r[`n_${c}`]) ?? 0;
        figures[c] = n === 0 ? null : chKpiNumber(r[`s_${c}`]);
        figures[`n_${c}`] = n;
      }
      return [String(r.region_code), figures];
    }),
  );
  return { month, ytd };
}
