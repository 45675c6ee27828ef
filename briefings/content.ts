// Gathers one briefing's figures: every KPI value through the KPI query layer (the same calls that
// answer /api/kpis, so the briefing holds exactly the board's numbers), plus the load history behind
// them. Nothing here computes a KPI; ranks and changes are derived from the layer's values only, the
// ranks by domain/ranking.ts's rule (the one GET /api/kpis/ranking uses), so a city has one rank.
import { addMonths, monthsEnding } from '../domain/period.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kpiMeta } from '../charts/labels.ts';
import type { MissingExtracts } from '../domain/missing.ts';
import { rankByDirection } from '../domain/ranking.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import { READ_SETTINGS, chQueryText } from '../queries/clickhouse/sql.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { listRegions } from '../warehouse/regions.ts';
import type { ScorecardRow, TargetsResult } from '../domain/targets.ts';
import {
  BREAKDOWN_DIMENSIONS,
  COMPARISON_KEY,
  MAX_ESCALATED,
  RANK_KEYS,
  SERIES_KEYS,
  type BreakdownDimension,
  type BreakdownRow,
  type BriefingData,
  type EscalatedComplaint,
  type EscalatedList,
  type LoadRow,
  type Rank,
  type Values,
} from './briefing.ts';

/** What the briefing needs from the KPI query layer (queries/kpis.ts); kpi-source.ts adapts it. */
export interface KpiSource {
  /** The figures of one month and region, and the extracts of that month its scope lacks (`missing_extracts`). */
  kpis(period: string, region: string): Promise<{ kpis: Values; missing: MissingExtracts }>;
  series(key: string, region: string, from: string, to: string): Promise<{ period: string; value: number | null }[]>;
  /** Each city's value of `key` in `period` (the province excluded), and whether a null is for a missing extract. */
  ranking(key: string, period: string): Promise<CityValue[]>;
  breakdown(period: string, region: string, dimension: BreakdownDimension): Promise<BreakdownRow[]>;
  /** The region's targets of the month, judged, with its score and rank (GET /api/targets). */
  targets(period: string, region: string): Promise<TargetsResult>;
  /** Every city's score and rank (GET /api/scorecard): asked for the province's briefing only. */
  scorecard(period: string): Promise<ScorecardRow[]>;
}

export interface CityValue {
  region_code: string;
  value: number | null;
  /** Null because a source extract of the key has not arrived for the city (GET /api/kpis/ranking's not_reported). */
  not_reported: boolean;
}

export interface BriefingRequest {
  region: string;
  period: string;
}

const SQL_DIR = join(import.meta.dirname, 'sql');
const LOADS_SQL = readFileSync(join(SQL_DIR, 'loads.sql'), 'utf8');
const VERSION_SQL = readFileSync(join(SQL_DIR, 'version.sql'), 'utf8');
const ESCALATED_SQL = readFileSync(join(SQL_DIR, 'escalated.sql'), 'utf8');

/**
 * The month's escalated complaints of `region` (ALL: every city), at most MAX_ESCALATED of them;
 * null when the region's complaint extract has not arrived (for ALL: no city's has), so that an
 * absent list is never read as "none".
 */
export async function escalatedComplaints(wh: Warehouse, region: string, period: string, missing: MissingExtracts, regionCount: number): Promise<EscalatedList | null> {
  const lacking = missing.complaint ?? [];
  if (region === 'ALL' ? regionCount > 0 && lacking.length >= regionCount : lacking.includes(region)) return null;
  const rows = wh.clickhouse
    ? await wh.clickhouse.query<Record<string, unknown>>(`${chQueryText('escalated', { period: `${period}-01`, region })}\nLIMIT ${MAX_ESCALATED}`, READ_SETTINGS)
    : await wh.all<Record<string, unknown>>(ESCALATED_SQL, { period: `${period}-01`, region, limit: MAX_ESCALATED });
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    rows: rows.map(
      (r): EscalatedComplaint => ({
        complaint_id: String(r.complaint_id),
        received_at: String(r.received_at),
        region_code: String(r.region_code),
        category: String(r.category),
        source: String(r.source),
        status: r.status as EscalatedComplaint['status'],
      }),
    ),
  };
}

/**
 * The version a briefing of `period` is cached under: it changes when a model run rebuilds one of
 * the months the briefing shows, or a new load of the month arrives — not on loads of other months.
 */
export async function briefingVersion(wh: Warehouse, period: string): Promise<string> {
  const months = [addMonths(period, -12), ...monthsEnding(period)].join(',');
  const row = await wh.one<{ data_version: bigint | number; load_id: bigint | number }>(VERSION_SQL, { months, period: `${period}-01` });
  return `${Number(row?.data_version ?? 0)}.${Number(row?.load_id ?? 0)}`;
}

/**
 * The city's rank by domain/ranking.ts (rank 1 = best by the KPI's direction, ties share the smaller
 * rank), of the cities ranked; null without a figure or for a `none` KPI.
 */
export function rankOf(key: string, region: string, values: readonly CityValue[]): Rank | null {
  const ranked = rankByDirection(values, (v) => v.value, kpiMeta(key).direction);
  const rank = ranked.find((r) => r.item.region_code === region)?.rank ?? null;
  return rank === null ? null : { rank, of: ranked.filter((r) => r.rank !== null).length };
}

export async function gatherBriefing(wh: Warehouse, source: KpiSource, req: BriefingRequest, fx: { now?: () => Date } = {}): Promise<BriefingData> {
  const { region, period } = req;
  const regions = await listRegions(wh);
  const names = new Map(regions.map((r) => [r.code, r]));
  const periods = monthsEnding(period);
  const [version, current, previous, lastYear] = await Promise.all([
    briefingVersion(wh, period),
    source.kpis(period, region),
    source.kpis(addMonths(period, -1), region),
    source.kpis(addMonths(period, -12), region),
  ]);
  const isCity = region !== 'ALL';

  const ranks: Record<string, Rank | null> = {};
  let comparison: CityValue[] = [];
  for (const key of new Set<string>([...RANK_KEYS, COMPARISON_KEY])) {
    const values = (await source.ranking(key, period)).filter((v) => v.region_code !== 'ALL');
    // A city's briefing holds its own rank, never another city's value (the province's holds them all).
    if (key === COMPARISON_KEY && !isCity) comparison = values;
    ranks[key] = isCity ? rankOf(key, region, values) : null;
  }

  const series: Record<string, (number | null)[]> = {};
  for (const key of SERIES_KEYS) {
    const points = new Map((await source.series(key, region, periods[0]!, period)).map((p) => [p.period, p.value]));
    series[key] = periods.map((p) => points.get(p) ?? null);
  }

  const breakdowns = {} as Record<BreakdownDimension, BreakdownRow[]>;
  for (const dimension of BREAKDOWN_DIMENSIONS) breakdowns[dimension] = await source.breakdown(period, region, dimension);
  const judged = await source.targets(period, region);
  const targets = {
    score: judged.score,
    rank: judged.rank,
    ranked: judged.ranked,
    rows: judged.rows,
    // The league names every city: the province's briefing only.
    league: isCity ? [] : await source.scorecard(period),
  };
  const escalated = await escalatedComplaints(wh, region, period, current.missing, regions.length);
  const cityNames: BriefingData['cityNames'] = {};
  for (const code of new Set(escalated?.rows.map((r) => r.region_code) ?? [])) {
    const r = names.get(code);
    cityNames[code] = { zh: r?.name_zh ?? code, en: r?.name_en ?? r?.name_zh ?? code };
  }

  const loads = (await wh.all<Record<string, unknown>>(LOADS_SQL, { period: `${period}-01`, region })).map(
    (r): LoadRow => ({
      load_id: Number(r.load_id),
      file_name: String(r.file_name),
      kind: String(r.kind),
      // A file's own totals may count other cities' rows: a city's briefing holds only its slice's rows.
      rows_loaded: isCity || r.rows_loaded == null ? null : Number(r.rows_loaded),
      rows_rejected: isCity || r.rows_rejected == null ? null : Number(r.rows_rejected),
      slice_rows: Number(r.slice_rows),
      finished_at: r.finished_at == null ? null : String(r.finished_at),
    }),
  );
  const asOf = loads.map((l) => l.finished_at).filter((t): t is string => t !== null);

  const own = names.get(region);
  return {
    region,
    regionZh: region === 'ALL' ? '全省' : (own?.name_zh ?? region),
    regionEn: region === 'ALL' ? 'Province' : (own?.name_en ?? own?.name_zh ?? region),
    period,
    dataVersion: version,
    dataAsOf: asOf.length ? asOf.sort().at(-1)! : null,
    generatedAt: shanghaiTimestamp(fx.now?.() ?? new Date()),
    kpis: current.kpis,
    missing: current.missing,
    regionCount: regions.length,
    previous: previous.kpis,
    lastYear: lastYear.kpis,
    ranks,
    periods,
    series,
    cities: comparison
      .map((c) => ({
        region_code: c.region_code,
        name: names.get(c.region_code)?.name_zh ?? c.region_code,
        nameEn: names.get(c.region_code)?.name_en ?? names.get(c.region_code)?.name_zh ?? c.region_code,
        value: c.value,
        notReported: c.not_reported,
      }))
      .sort((a, b) => a.region_code.localeCompare(b.region_code)),
    comparisonReference: isCity ? null : (current.kpis[COMPARISON_KEY] ?? null),
    breakdowns,
    escalated,
    targets,
    cityNames,
    loads,
  };
}
