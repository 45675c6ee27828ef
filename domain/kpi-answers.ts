// The shapes of the KPI answers — one period's figures, a series, a ranking — as the query layer
// returns them and the API sends them; the dashboard reads the same types (type-only).
import type { KpiDirection } from './kpi-catalogue.ts';
import type { MissingExtracts } from './missing.ts';

export type KpiValues = Record<string, number | null>;

export interface KpiResult {
  period: string;
  region: string;
  /** Present when the figures are for one customer group; keys not computed per group are null. */
  segment?: string;
  kpis: KpiValues;
  /** Per data kind, the regions of the scope without a slice for the period; {} when none is missing. */
  missing_extracts: MissingExtracts;
}

export interface SeriesPoint {
  period: string;
  value: number | null;
}

export interface RankingRow {
  region_code: string;
  name_zh: string;
  name_en: string | null;
  value: number | null;
  /** 1 = the best by the KPI's direction, ties sharing the smaller rank; null without a figure, and for a `none` KPI. */
  rank: number | null;
  /** The figure is null because a source kind of the KPI has no slice for this city (shown as 未上报, never 0). */
  not_reported: boolean;
  /** The KPI's direction (kpis.md `better`), the order the rank follows. */
  better: KpiDirection;
}

export interface RankingResult {
  key: string;
  period: string;
  direction: KpiDirection;
  /** The same direction under kpis.md's name for it. */
  better: KpiDirection;
  /** Best first; cities without a figure last, in code order. */
  rows: RankingRow[];
}
