// The figures alert rules judge (targets.md "Alerts"): the newest month each region has of a KPI's
// main extract, and a KPI's figures for a range of months in every region at once, so one rule costs
// two small queries whatever the number of regions.
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { addMonths } from '../domain/period.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { checkKey, checkPeriod } from './kpis.ts';
import { runQuery, tableExists, toKpiNumber } from './sql.ts';

/** Region code (and ALL) → its newest month 'YYYY-MM' with a slice of the KPI's main source kind. */
export async function newestMonths(wh: Warehouse, key: string): Promise<Map<string, string>> {
  const kind = kpiDefinition(checkKey(key))!.sources[0]!;
  const rows = await runQuery(wh, 'alert-months', { kind });
  return new Map(rows.map((r) => [String(r.region_code), String(r.period)]));
}

/**
 * The KPI's figure of every region (ALL included) for each month of `periods` and the month before
 * each: a map `region|YYYY-MM` → value (null where there is no figure; absent where the mart has no row).
 */
export async function kpiFigures(wh: Warehouse, key: string, periods: readonly string[]): Promise<Map<string, number | null>> {
  const kpi = checkKey(key);
  const out = new Map<string, number | null>();
  if (periods.length === 0 || !(await tableExists(wh, 'mart_kpis'))) return out;
  const sorted = [...periods].map((p) => checkPeriod(p)).sort();
  const rows = await runQuery(wh, 'alert-figures', { from: `${addMonths(sorted[0]!, -1)}-01`, to: `${sorted.at(-1)!}-01` }, { kpi });
  for (const r of rows) out.set(`${String(r.region_code)}|${String(r.period)}`, toKpiNumber(r.value ?? null));
  return out;
}
