// What the board fetches, as plain async functions over the API: one place to change when the server
// offers a cheaper route for the same figures (e.g. all cities in one request).
import { enumCodes } from '../../charts/labels.ts';
import type { BreakdownRow as ChartRow } from '../../charts/breakdown.ts';
import type { PlayMixRow } from '../../charts/play-mix.ts';
import { api } from './api.ts';
import { addMonths, monthRange } from '../../domain/period.ts';
import type { KpiResult, KpiValues, SeriesPoint } from './types.ts';

/** Months a sparkline spans, ending with the board's period. */
export const SPARK_MONTHS = 12;

export async function fetchSeries(keys: readonly string[], region: string, period: string, signal?: AbortSignal): Promise<Record<string, SeriesPoint[]>> {
  const from = addMonths(period, -(SPARK_MONTHS - 1));
  const entries = await Promise.all(keys.map(async (key) => [key, await api.series(key, region, from, period, signal)] as const));
  return Object.fromEntries(entries.map(([key, points]) => [key, fillMonths(points, from, period)]));
}

/** Every month of the window present once, missing ones as null, so sparklines line up. */
export function fillMonths(points: readonly SeriesPoint[], from: string, to: string): SeriesPoint[] {
  const byPeriod = new Map(points.map((p) => [p.period.slice(0, 7), p.value]));
  const out: SeriesPoint[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) out.push({ period: p, value: byPeriod.get(p) ?? null });
  return out;
}

/**
 * A customer segment's figures for the sparkline window: /api/kpis?segment= month by month (series
 * are not kept per segment), so a segment's tiles have their own trend and month-over-month change.
 */
export async function fetchSegment(
  segment: string,
  keys: readonly string[],
  region: string,
  period: string,
  signal?: AbortSignal,
): Promise<{ current: KpiResult; series: Record<string, SeriesPoint[]> }> {
  const months = monthRange(addMonths(period, -(SPARK_MONTHS - 1)), period);
  const results = await Promise.all(months.map((p) => api.kpis(p, region, signal, segment)));
  const series = Object.fromEntries(keys.map((k) => [k, results.map((r, i) => ({ period: months[i]!, value: r.kpis[k] ?? null }))]));
  return { current: results.at(-1)!, series };
}

/** Every city's answer for the month (figures and missing extracts), by region code. */
export async function fetchCities(regions: readonly string[], period: string, signal?: AbortSignal): Promise<Record<string, KpiResult>> {
  const results = await Promise.all(regions.map((r) => api.kpis(period, r, signal)));
  return Object.fromEntries(results.map((r, i) => [regions[i]!, r]));
}

export async function fetchPlayMix(region: string, period: string, signal?: AbortSignal): Promise<PlayMixRow[]> {
  const keys = [1, 2, 3, 4].map((n) => `customers_${n}_play`);
  const series = await fetchSeries(keys, region, period, signal);
  return keys.flatMap((key, i) => series[key]!.map((p) => ({ period: p.period, plays: i + 1, customers: p.value })));
}

/** Rows for a breakdown chart from the KPI families of /api/kpis (gross_adds_{type}, complaints_{category}, …). */
export function familyRows(kpis: KpiValues | null, prefix: string, dimension: 'channel_type' | 'category'): ChartRow[] {
  return enumCodes(dimension).map((code) => ({ code, value: kpis?.[`${prefix}${code}`] ?? null }));
}

/** The previous month's value of a series that ends with the current month. */
export function previousValue(points: readonly SeriesPoint[] | undefined): number | null {
  if (!points || points.length < 2) return null;
  return points[points.length - 2]!.value;
}

export function sourceRows(rows: readonly Record<string, unknown>[] | null): ChartRow[] {
  if (!rows) return [];
  return enumCodes('source').map((code) => {
    const row = rows.find((r) => r.source === code || r.code === code);
    const v = row?.complaints ?? row?.value;
    return { code, value: typeof v === 'number' ? v : v == null ? null : Number(v) };
  });
}
