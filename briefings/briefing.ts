// What a monthly briefing holds, as plain data: content.ts gathers it through the KPI query layer,
// pdf.ts and xlsx.ts turn it into bytes. Being plain JSON it crosses into a worker thread as is,
// and the renderers are pure functions of it (plus the clock's reading, already inside).
import { enumCodes, kpiLabel, kpiMeta } from '../charts/labels.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';

export type Values = Record<string, number | null>;

/** The figures of one enumeration member (a channel type, a complaint category or source). */
export interface BreakdownRow {
  code: string;
  values: Values;
}

export type BreakdownDimension = 'channel_type' | 'category' | 'source';

export interface LoadRow {
  load_id: number;
  file_name: string;
  kind: string;
  rows_loaded: number | null;
  rows_rejected: number | null;
  /** Rows of this load in the briefing's slice(s). */
  slice_rows: number;
  finished_at: string | null;
}

export interface Rank {
  rank: number;
  of: number;
}

export interface BriefingData {
  /** 'ALL' for the province, else a region code. */
  region: string;
  regionZh: string;
  regionEn: string;
  /** 'YYYY-MM' */
  period: string;
  /** What the cache is keyed by: the newest model run over the months shown, and the newest load. */
  dataVersion: string;
  /** Finish time of the newest load behind the figures, 'YYYY-MM-DD HH:MM:SS' (Asia/Shanghai). */
  dataAsOf: string | null;
  generatedAt: string;
  kpis: Values;
  /** The month before and the same month a year before (null when the warehouse has no such month). */
  previous: Values | null;
  lastYear: Values | null;
  /** Rank among the cities, for the headline keys; null for the province or a missing value. */
  ranks: Record<string, Rank | null>;
  /** The 12 months ending with `period`, oldest first. */
  periods: string[];
  /** key → one value per month of `periods`. */
  series: Record<string, (number | null)[]>;
  /** Each city's value of COMPARISON_KEY in `period`, for the city comparison chart. */
  cities: { region_code: string; name: string; value: number | null }[];
  /** The province's value of COMPARISON_KEY, the comparison chart's reference line. */
  comparisonReference: number | null;
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
  loads: LoadRow[];
}

/** The headline table, in this order; each with month-over-month, year-over-year and rank. */
export const HEADLINE_KEYS = [
  'active_subscriptions',
  'net_adds',
  'convergence_rate',
  'churn_rate',
  'revenue',
  'arpu',
  'converged_adds_share',
  'commission_per_add',
  'complaints_per_10k',
  'escalated_complaints',
  'sla_met_rate',
  'satisfaction_rate',
] as const;

export const SERVICE_CODES: readonly string[] = enumCodes('service');

/** Keys drawn over the 12 months. */
export const SERIES_KEYS = [
  'convergence_rate',
  'churn_rate_converged',
  'churn_rate_standalone',
  ...SERVICE_CODES.map((s) => `revenue_${s}`),
  'escalated_complaints',
  'sla_met_rate',
] as const;

/** The KPI the cities are compared on, on the first page. */
export const COMPARISON_KEY = 'convergence_rate';

/** Data-quality figures of kpis.md that the note at the end reports. */
export const QUALITY_KEYS = ['unattributed_adds', 'vanished_subscriptions', 'orphan_revenue_rows'] as const;

export interface Column {
  /** A metric of the breakdown row (or of the service table). */
  field: string;
  zh: string;
  kind: KpiUnit;
}

/** A KPI's column: the catalogue's unit, and its label unless a narrow column needs a shorter one. */
const kpiCol = (key: string, zh = kpiLabel(key, 'zh')): Column => ({ field: key, zh, kind: kindOf(key) });
/** A figure the catalogue holds only per channel type (active_outlets_partner_full, …), here per row. */
const col = (field: string, zh: string, kind: KpiUnit): Column => ({ field, zh, kind });

/** By category and by source; a source is escalated or not as a whole, so only categories count escalations. */
const complaintColumns = (withEscalated: boolean): Column[] => [
  kpiCol('complaints'),
  kpiCol('complaints_per_10k'),
  ...(withEscalated ? [kpiCol('escalated_complaints')] : []),
  kpiCol('sla_met_rate'),
  kpiCol('mean_resolution_hours', '平均时长(小时)'),
  kpiCol('satisfaction_rate'),
];

/** The tables of the briefing, shared by the PDF and the XLSX so that both show the same columns. */
export const TABLES: Record<BreakdownDimension, { title: string; columns: Column[] }> = {
  channel_type: {
    title: '渠道效能（按渠道类型）',
    columns: [
      kpiCol('gross_adds'),
      kpiCol('converged_adds_share'),
      col('active_outlets', '在营网点', 'count'),
      col('adds_per_outlet', '店均新增', 'average'),
      col('commission', '酬金', 'money'),
      kpiCol('commission_per_add'),
      kpiCol('exclusive_adds_share', '排他新增占比'),
    ],
  },
  category: { title: '投诉类别', columns: complaintColumns(true) },
  source: { title: '投诉来源', columns: complaintColumns(false) },
};

/** Revenue, ARPU and subscriptions per service, read from the per-service KPI families. */
export const SERVICE_COLUMNS: Column[] = [kpiCol('active_subscriptions', '在网业务'), kpiCol('revenue'), kpiCol('arpu')];

export function kindOf(key: string): KpiUnit {
  return kpiMeta(key).kind;
}

