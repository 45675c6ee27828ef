// Names shown for KPI keys, enumeration codes and cities, in Chinese and English. The KPI labels,
// units and directions are the catalogue's (domain/kpi-catalogue.ts), the enumerations' names those
// of domain/enumerations.ts; this module is how the dashboard, the charts and the briefings read them.
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { ENUMERATIONS, type Dimension } from '../domain/enumerations.ts';
import { KPI_CATALOGUE, type KpiDirection, type KpiUnit } from '../domain/kpi-catalogue.ts';
import type { Lang } from './format.ts';

export type { Dimension };

/** The codes of a dimension in the contracts' order (the order charts and tables use). */
export function enumCodes(dimension: Dimension): string[] {
  return ENUMERATIONS[dimension].values.map((v) => v.code);
}

export function enumLabel(dimension: Dimension, code: string, lang: Lang): string {
  const e = ENUMERATIONS[dimension];
  if (lang === 'en') return e.en[code] ?? code;
  return e.values.find((v) => v.code === code)?.label ?? code;
}

export interface Region {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The default region list; the server's own list (GET /api/regions, when present) takes precedence. */
export const DEFAULT_REGIONS: readonly Region[] = ZHEJIANG_CITIES;

export function regionName(code: string, lang: Lang, regions: readonly Region[] = DEFAULT_REGIONS): string {
  if (code === 'ALL') return lang === 'zh' ? '全省' : 'Province';
  const r = regions.find((x) => x.code === code);
  if (!r) return code;
  return lang === 'zh' ? r.nameZh : r.nameEn || r.nameZh;
}

/** A KPI as the display code reads it. */
export interface KpiMeta {
  key: string;
  /** The catalogue's unit: how the formatters show the value. */
  kind: KpiUnit;
  zh: string;
  en: string;
  /** Which way is an improvement: colours a change, orders a comparison best first. */
  direction: KpiDirection;
  /** True when mart_kpis_segment holds the figure per customer segment. */
  bySegment: boolean;
}

const META = new Map(
  KPI_CATALOGUE.map((d): [string, KpiMeta] => [
    d.key,
    { key: d.key, kind: d.unit, zh: d.label_zh, en: d.label_en, direction: d.direction, bySegment: d.by_segment },
  ]),
);
const DISPLAY_UNITS = new Map(KPI_CATALOGUE.map((d) => [d.key, d.display_unit]));

/** Metadata for any key; one outside the catalogue reads as a plain count named by its key. */
export function kpiMeta(key: string): KpiMeta {
  return META.get(key) ?? { key, kind: 'count', zh: key, en: key, direction: 'none', bySegment: false };
}

export function kpiLabel(key: string, lang: Lang): string {
  return lang === 'zh' ? kpiMeta(key).zh : kpiMeta(key).en;
}

/** Units shown under a tile's value, where the number alone would be ambiguous. */
export function kpiUnit(key: string, lang: Lang): string {
  return DISPLAY_UNITS.get(key)?.[lang] ?? '';
}

/** Whether a change of `key` moved the good way; null when it did not move or has no good way. */
export function isImprovement(key: string, change: 'up' | 'down' | 'flat'): boolean | null {
  const { direction } = kpiMeta(key);
  if (change === 'flat' || direction === 'none') return null;
  return (change === 'up') === (direction === 'higher');
}

/** The sort order that puts the best value of `key` first (largest first when none is better). */
export function bestFirst(key: string): 'asc' | 'desc' {
  return kpiMeta(key).direction === 'lower' ? 'asc' : 'desc';
}
