// The figures alert rules judge (targets.md "Alerts"): the newest month each region has of each
// extract kind, and every KPI of a range of months in every region at once — two small reads per
// evaluation, however many rules and regions.
import type { Kind } from '../domain/contracts.ts';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';
import { addMonths } from '../domain/period.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { checkPeriod } from './kpis.ts';
import { chColumns, chKpiNumber, runChQuery } from './clickhouse/sql.ts';
import { runQuery, tableExists, toKpiNumber } from './sql.ts';

/** Kind → region code (and ALL) → its newest month 'YYYY-MM' with a slice in force. */
export async function newestMonths(wh: Warehouse): Promise<Map<Kind, Map<string, string>>> {
  const out = new Map<Kind, Map<string, string>>();
  for (const r of await runQuery(wh, 'alert-months', {})) {
    const kind = String(r.kind) as Kind;
    if (!out.has(kind)) out.set(kind, new Map());
    out.get(kind)!.set(String(r.region_code), String(r.period));
  }
  return out;
}

export type Figures = Map<string, Record<string, number | null>>;

/** The key of one region's month in Figures: `330300|2026-09`. */
export function figureKey(region: string, period: string): string {
  return `${region}|${period}`;
}

/**
 * Every KPI of every region (ALL included) for the months of `periods` and the month before each, by
 * figureKey; null where there is no figure, absent where the mart has no row.
 */
export async function kpiFigures(wh: Warehouse, periods: readonly string[]): Promise<Figures> {
  const out: Figures = new Map();
  if (periods.length === 0) return out;
  const sorted = [...periods].map((p) => checkPeriod(p)).sort();
  const range = { from: `${addMonths(sorted[0]!, -1)}-01`, to: `${sorted.at(-1)!}-01` };
  const ch = wh.clickhouse;
  if (ch) {
    // the ClickHouse engine: the same rows from its mart (queries/clickhouse/mart-kpis-months.sql)
    if ((await chColumns(ch, 'mart_kpis')).length === 0) return out;
    for (const r of await runChQuery(ch, 'mart-kpis-months', range)) {
      const values: Record<string, number | null> = {};
      for (const key of KPI_KEYS) values[key] = chKpiNumber(r[key]);
      out.set(figureKey(String(r.region_code), String(r.period).slice(0, 7)), values);
    }
    return out;
  }
  if (!(await tableExists(wh, 'mart_kpis'))) return out;
  const rows = await runQuery(wh, 'alert-figures', range);
  for (const r of rows) {
    const values: Record<string, number | null> = {};
    for (const key of KPI_KEYS) values[key] = toKpiNumber(r[key] ?? null);
    out.set(figureKey(String(r.region_code), String(r.period)), values);
  }
  return out;
}
