// Gathers one briefing's figures: every KPI value through the KPI query layer (the same calls that
// answer /api/kpis, so the briefing holds exactly the board's numbers), plus the load history behind
// them. Nothing here computes a KPI; ranks and changes are derived from the layer's values only.
import { addMonths, monthsEnding } from '../domain/period.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kpiMeta } from '../charts/labels.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { listRegions } from '../warehouse/regions.ts';
import {
  COMPARISON_KEY,
  HEADLINE_KEYS,
  SERIES_KEYS,
  type BreakdownDimension,
  type BreakdownRow,
  type BriefingData,
  type LoadRow,
  type Rank,
  type Values,
} from './briefing.ts';

/** What the briefing needs from the KPI query layer (queries/kpis.ts); kpi-source.ts adapts it. */
export interface KpiSource {
  kpis(period: string, region: string): Promise<Values>;
  series(key: string, region: string, from: string, to: string): Promise<{ period: string; value: number | null }[]>;
  /** Each city's value of `key` in `period` (the province excluded). */
  ranking(key: string, period: string): Promise<{ region_code: string; value: number | null }[]>;
  breakdown(period: string, region: string, dimension: BreakdownDimension): Promise<BreakdownRow[]>;
}

export interface BriefingRequest {
  region: string;
  period: string;
}

const SQL_DIR = join(import.meta.dirname, 'sql');
const LOADS_SQL = readFileSync(join(SQL_DIR, 'loads.sql'), 'utf8');
const VERSION_SQL = readFileSync(join(SQL_DIR, 'version.sql'), 'utf8');

/**
 * The version a briefing of `period` is cached under: it changes when a model run rebuilds one of
 * the months the briefing shows, or a new load of the month arrives — not on loads of other months.
 */
export async function briefingVersion(wh: Warehouse, period: string): Promise<string> {
  const months = [addMonths(period, -12), ...monthsEnding(period)].join(',');
  const row = await wh.one<{ data_version: bigint | number; load_id: bigint | number }>(VERSION_SQL, { months, period: `${period}-01` });
  return `${Number(row?.data_version ?? 0)}.${Number(row?.load_id ?? 0)}`;
}

/** Rank 1 = best, by the KPI's direction (larger first when it has none); ties share a rank. */
export function rankOf(key: string, region: string, values: readonly { region_code: string; value: number | null }[]): Rank | null {
  const own = values.find((v) => v.region_code === region)?.value;
  if (own === null || own === undefined) return null;
  const present = values.filter((v): v is { region_code: string; value: number } => v.value !== null);
  const lowerIsBetter = kpiMeta(key).direction === 'lower';
  const ahead = present.filter((v) => (lowerIsBetter ? v.value < own : v.value > own)).length;
  return { rank: ahead + 1, of: present.length };
}

export async function gatherBriefing(wh: Warehouse, source: KpiSource, req: BriefingRequest, fx: { now?: () => Date } = {}): Promise<BriefingData> {
  const { region, period } = req;
  const regions = await listRegions(wh);
  const names = new Map(regions.map((r) => [r.code, r]));
  const periods = monthsEnding(period);
  const [version, kpis, previous, lastYear, province] = await Promise.all([
    briefingVersion(wh, period),
    source.kpis(period, region),
    source.kpis(addMonths(period, -1), region),
    source.kpis(addMonths(period, -12), region),
    region === 'ALL' ? null : source.kpis(period, 'ALL'),
  ]);

  const ranks: Record<string, Rank | null> = {};
  let comparison: { region_code: string; value: number | null }[] = [];
  for (const key of new Set<string>([...HEADLINE_KEYS, COMPARISON_KEY])) {
    const values = (await source.ranking(key, period)).filter((v) => v.region_code !== 'ALL');
    if (key === COMPARISON_KEY) comparison = values;
    ranks[key] = region === 'ALL' ? null : rankOf(key, region, values);
  }

  const series: Record<string, (number | null)[]> = {};
  for (const key of SERIES_KEYS) {
    const points = new Map((await source.series(key, region, periods[0]!, period)).map((p) => [p.period, p.value]));
    series[key] = periods.map((p) => points.get(p) ?? null);
  }

  const breakdowns = {} as Record<BreakdownDimension, BreakdownRow[]>;
  for (const dimension of ['channel_type', 'category', 'source'] as const) breakdowns[dimension] = await source.breakdown(period, region, dimension);

  const loads = (await wh.all<Record<string, unknown>>(LOADS_SQL, { period: `${period}-01`, region })).map(
    (r): LoadRow => ({
      load_id: Number(r.load_id),
      file_name: String(r.file_name),
      kind: String(r.kind),
      rows_loaded: r.rows_loaded == null ? null : Number(r.rows_loaded),
      rows_rejected: r.rows_rejected == null ? null : Number(r.rows_rejected),
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
    kpis,
    previous,
    lastYear,
    ranks,
    periods,
    series,
    cities: comparison
      .map((c) => ({ region_code: c.region_code, name: names.get(c.region_code)?.name_zh ?? c.region_code, value: c.value }))
      .sort((a, b) => a.region_code.localeCompare(b.region_code)),
    comparisonReference: (province ?? kpis)[COMPARISON_KEY] ?? null,
    breakdowns,
    loads,
  };
}
