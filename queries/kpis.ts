// The KPI query layer shared by the CLI, the server and the briefings: named, parameterised
// queries over the marts (queries/*.sql). Inputs are checked here, once, and a bad one is a
// UserError with a message a person can act on; a valid period without data gives nulls.
import { listValue } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse/db.ts';
import { CHANNEL_TYPES, COMPLAINT_CATEGORIES, COMPLAINT_SOURCES, DATA_KINDS, SEGMENTS, SERVICES, type EnumValue } from '../domain/contracts.ts';
import { KPI_KEYS, SEGMENT_KPI_KEYS, isKpiKey, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { type MissingExtracts, isNotReported } from '../domain/missing.ts';
import { isPeriod, periodAt, periodIndex } from '../domain/period.ts';
import type { KpiResult, KpiValues, RankingResult, SeriesPoint } from '../domain/kpi-answers.ts';
import { rankByDirection } from '../domain/ranking.ts';
import { isRegionCode } from '../domain/region-code.ts';
import { UserError } from '../warehouse/errors.ts';
import { runQuery, tableExists, toCell, toKpiNumber } from './sql.ts';
import { chColumns, chKpiNumber, runChQuery } from './clickhouse/sql.ts';

export type { KpiResult, KpiValues, RankingResult, RankingRow, SeriesPoint } from '../domain/kpi-answers.ts';

/** The breakdown mart of each dimension and its column of the dimension's codes. */
export const BREAKDOWNS = {
  segment: { mart: 'mart_kpis_segment', code: 'segment' },
  service: { mart: 'mart_kpis_service', code: 'service' },
  channel_type: { mart: 'mart_kpis_channel_type', code: 'channel_type' },
  category: { mart: 'mart_complaints_breakdown', code: 'code' },
  source: { mart: 'mart_complaints_breakdown', code: 'code' },
} as const;
export type Dimension = keyof typeof BREAKDOWNS;

export interface BreakdownResult {
  period: string;
  region: string;
  dimension: Dimension;
  /** One row per code of the dimension, in the contracts' order: code, label_zh, then the figures. */
  rows: Record<string, number | string | null>[];
}

/** Longest series served at once: 50 years of months. */
const MAX_SERIES_MONTHS = 600;

export async function getKpis(
  wh: Warehouse,
  params: { period: string; region?: string; segment?: string },
): Promise<KpiResult> {
  const period = checkPeriod(params.period);
  const region = await checkRegion(wh, params.region ?? 'ALL');
  const segment = params.segment === undefined ? undefined : checkSegment(params.segment);
  const kpis: KpiValues = Object.fromEntries(KPI_KEYS.map((k) => [k, null]));
  const table = segment ? 'mart_kpis_segment' : 'mart_kpis';
  const ch = wh.clickhouse;
  if (ch) {
    // the ClickHouse engine: the same row from its marts (queries/clickhouse/)
    if ((await chColumns(ch, table)).length > 0) {
      const values = { period: `${period}-01`, region, ...(segment ? { segment } : {}) };
      const [row] = await runChQuery(ch, segment ? 'kpis-segment' : 'kpis-one', values);
      if (row) for (const key of segment ? SEGMENT_KPI_KEYS : KPI_KEYS) kpis[key] = chKpiNumber(row[key]);
    }
  } else if (await tableExists(wh, table)) {
    const rows = segment
      ? await runQuery(wh, 'kpis-segment', { period: `${period}-01`, region, segment })
      : await runQuery(wh, 'kpis-one', { period: `${period}-01`, region });
    const row = rows[0];
    if (row) for (const key of segment ? SEGMENT_KPI_KEYS : KPI_KEYS) kpis[key] = toKpiNumber(row[key] ?? null);
  }
  const missing_extracts = await missingExtracts(wh, period, region);
  return segment ? { period, region, segment, kpis, missing_extracts } : { period, region, kpis, missing_extracts };
}

/**
 * The extracts missing for one (period, region) from load_slices (kpis.md v2, "Missing is not
 * zero"): for each of the data kinds, the regions of the scope — the region, or for ALL the whole
 * region list — without a slice for the period, codes sorted; only kinds with a missing region, so
 * {} when nothing is missing. An empty slice (a file that arrived with no rows) is not missing. The
 * period and region are checked as getKpis checks them.
 */
export async function missingExtracts(wh: Warehouse, period: string, region: string): Promise<MissingExtracts> {
  const p = checkPeriod(period);
  const scope = await checkRegion(wh, region);
  const rows = await runQuery(wh, 'missing-extracts', { period: `${p}-01`, region: scope, kinds: listValue([...DATA_KINDS]) });
  const missing: MissingExtracts = {};
  for (const kind of DATA_KINDS) {
    const codes = rows.filter((r) => r.kind === kind).map((r) => String(r.region_code));
    if (codes.length > 0) missing[kind] = codes;
  }
  return missing;
}

export async function getSeries(
  wh: Warehouse,
  params: { key: string; region?: string; from: string; to: string },
): Promise<{ key: string; region: string; points: SeriesPoint[] }> {
  const key = checkKey(params.key);
  const region = await checkRegion(wh, params.region ?? 'ALL');
  const from = checkPeriod(params.from, 'from');
  const to = checkPeriod(params.to, 'to');
  const months = periodIndex(to) - periodIndex(from) + 1;
  if (months < 1) throw new UserError(`from (${from}) must not be after to (${to})`);
  if (months > MAX_SERIES_MONTHS) throw new UserError(`a series covers at most ${MAX_SERIES_MONTHS} months, got ${months}`);
  const ch = wh.clickhouse;
  if (ch) {
    // every month of the range, null where the mart has no row
    const found = new Map<string, number | null>();
    if ((await chColumns(ch, 'mart_kpis')).length > 0) {
      for (const r of await runChQuery(ch, 'kpi-series', { region, from: `${from}-01`, to: `${to}-01` }, { kpi: key })) {
        found.set(String(r.month).slice(0, 7), chKpiNumber(r.value));
      }
    }
    return { key, region, points: Array.from({ length: months }, (_v, i) => periodAt(periodIndex(from) + i)).map((p) => ({ period: p, value: found.get(p) ?? null })) };
  }
  if (!(await tableExists(wh, 'mart_kpis'))) {
    return { key, region, points: Array.from({ length: months }, (_v, i) => ({ period: periodAt(periodIndex(from) + i), value: null })) };
  }
  const rows = await runQuery(wh, 'kpi-series', { region, from: `${from}-01`, to: `${to}-01` }, { kpi: key });
  return { key, region, points: rows.map((r) => ({ period: String(r.period), value: toKpiNumber(r.value ?? null) })) };
}

/**
 * One KPI of one period across every city of the region list, ranked by the KPI's direction with
 * domain/ranking.ts's rule (rank 1 = the best, ties share the smaller rank, cities without a figure
 * last and unranked, a `none` KPI not ranked), each row saying whether its null is "not reported".
 */
export async function getRanking(wh: Warehouse, params: { key: string; period: string }): Promise<RankingResult> {
  const key = checkKey(params.key);
  const period = checkPeriod(params.period);
  const direction = kpiDefinition(key)!.direction;
  const ch = wh.clickhouse;
  const figures = ch
    ? await chRankingFigures(wh, ch, key, period)
    : (await tableExists(wh, 'mart_kpis'))
    ? (await runQuery(wh, 'kpi-ranking', { period: `${period}-01` }, { kpi: key })).map((r) => ({
        region_code: String(r.region_code),
        name_zh: String(r.name_zh),
        name_en: r.name_en === null ? null : String(r.name_en),
        value: toKpiNumber(r.value ?? null),
      }))
    : (
        await wh.all<{ region_code: string; name_zh: string; name_en: string | null }>(
          'select code as region_code, name_zh, name_en from regions order by code',
        )
      ).map((r) => ({ ...r, value: null }));
  const missing = await missingExtracts(wh, period, 'ALL');
  const rows = rankByDirection(figures, (f) => f.value, direction).map(({ item, rank }) => ({
    ...item,
    rank,
    not_reported: isNotReported(key, item.value, item.region_code, missing, figures.length),
    better: direction,
  }));
  return { key, period, direction, better: direction, rows };
}

export async function getBreakdown(
  wh: Warehouse,
  params: { period: string; region?: string; dimension: string },
): Promise<BreakdownResult> {
  const period = checkPeriod(params.period);
  const region = await checkRegion(wh, params.region ?? 'ALL');
  if (!Object.hasOwn(BREAKDOWNS, params.dimension)) {
    throw new UserError(`dimension must be one of ${Object.keys(BREAKDOWNS).join(', ')}; got ${JSON.stringify(params.dimension)}`);
  }
  const dimension = params.dimension as Dimension;
  const { mart, code } = BREAKDOWNS[dimension];
  if (wh.clickhouse) return { period, region, dimension, rows: await chBreakdownRows(wh.clickhouse, mart, code, dimension, period, region) };
  if (!(await tableExists(wh, mart))) return { period, region, dimension, rows: [] };
  const rows = await runQuery(wh, 'kpi-breakdown', { period: `${period}-01`, region, dimension }, { mart, code });
  return {
    period,
    region,
    dimension,
    rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toCell(v)]))),
  };
}

/**
 * The ClickHouse engine's ranking figures: the cities of the region list (the control plane's) in
 * code order, each with its value from mart_kpis on the cluster, null where there is none.
 */
async function chRankingFigures(wh: Warehouse, ch: NonNullable<Warehouse['clickhouse']>, key: string, period: string) {
  const values = new Map<string, number | null>();
  if ((await chColumns(ch, 'mart_kpis')).length > 0) {
    for (const r of await runChQuery(ch, 'kpi-ranking', { period: `${period}-01` }, { kpi: key })) values.set(String(r.region_code), chKpiNumber(r.value));
  }
  const regions = await wh.all<{ region_code: string; name_zh: string; name_en: string | null }>(
    'select code as region_code, name_zh, name_en from regions order by code',
  );
  return regions.map((r) => ({ ...r, value: values.get(r.region_code) ?? null }));
}

/**
 * The ClickHouse engine's breakdown: a row per code of the dimension in the contracts' order (code,
 * label_zh, then the mart's figures), null figures where the mart has no row for the code, [] when
 * the mart is not built — as kpi-breakdown.sql answers on DuckDB.
 */
async function chBreakdownRows(
  ch: NonNullable<Warehouse['clickhouse']>,
  mart: string,
  code: string,
  dimension: Dimension,
  period: string,
  region: string,
): Promise<Record<string, number | string | null>[]> {
  const columns = await chColumns(ch, mart);
  if (columns.length === 0) return [];
  const figures = columns.filter((c) => !['period', 'region_code', 'dimension', code].includes(c));
  const rows = await runChQuery(ch, 'kpi-breakdown', { period: `${period}-01`, region }, { mart });
  const enums = DIMENSION_ENUMS[dimension];
  return enums.map((e) => {
    const row = rows.find((r) => r[code] === e.code && (r.dimension === undefined || r.dimension === dimension));
    return {
      code: e.code,
      label_zh: e.label,
      ...Object.fromEntries(figures.map((f) => [f, row ? chKpiNumber(row[f]) : null])),
    };
  });
}

const DIMENSION_ENUMS: Record<Dimension, readonly EnumValue[]> = {
  segment: SEGMENTS,
  service: SERVICES,
  channel_type: CHANNEL_TYPES,
  category: COMPLAINT_CATEGORIES,
  source: COMPLAINT_SOURCES,
};

export function checkPeriod(value: unknown, name = 'period'): string {
  if (!isPeriod(value)) {
    throw new UserError(`${name} must be a month written YYYY-MM (e.g. 2026-09); got ${JSON.stringify(value)}`);
  }
  return value;
}

/** 'ALL' or a 6-digit code of the warehouse's region list. */
export async function checkRegion(wh: Warehouse, value: unknown): Promise<string> {
  if (value === 'ALL') return value;
  if (!isRegionCode(value)) {
    throw new UserError(`region must be ALL or a 6-digit region code (e.g. 330300); got ${JSON.stringify(value)}`);
  }
  const known = await wh.one('select 1 as ok from regions where code = $code', { code: value });
  if (!known) throw new UserError(`region ${value} is not in the region list (npm run regions -- list)`);
  return value;
}

export function checkKey(value: unknown): string {
  if (typeof value !== 'string' || !isKpiKey(value)) {
    throw new UserError(`unknown KPI key ${JSON.stringify(value)}; keys are those of kpis.md, e.g. convergence_rate`);
  }
  return value;
}

export function checkSegment(value: unknown): string {
  const codes = SEGMENTS.map((s) => s.code);
  if (typeof value !== 'string' || !codes.includes(value)) {
    throw new UserError(`segment must be one of ${codes.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value;
}
