// What a monthly briefing holds, as plain data: content.ts gathers it through the KPI query layer,
// pdf.ts and xlsx.ts turn it into bytes. Being plain JSON it crosses into a worker thread as is,
// and the renderers are pure functions of it (plus the clock's reading, already inside).
import type { Lang } from '../charts/format.ts';
import { enumCodes, kpiLabel, kpiMeta } from '../charts/labels.ts';
import { DATA_KINDS, KINDS, type DataKind, type Kind } from '../domain/contracts.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { isNotReported, type MissingExtracts } from '../domain/missing.ts';
import type { ScorecardRow, TargetRow } from '../domain/targets.ts';

export type Values = Record<string, number | null>;

/** The figures of one enumeration member (a channel type, a complaint category or source). */
export interface BreakdownRow {
  code: string;
  values: Values;
}

export type BreakdownDimension = 'channel_type' | 'category' | 'source' | 'segment';
export const BREAKDOWN_DIMENSIONS: readonly BreakdownDimension[] = ['channel_type', 'category', 'source', 'segment'];

/** An escalated complaint (越级投诉) of the month, its state as of the month's end (stg_complaint's flags). */
export interface EscalatedComplaint {
  complaint_id: string;
  /** 'YYYY-MM-DD HH:MM:SS', Asia/Shanghai. */
  received_at: string;
  region_code: string;
  category: string;
  source: string;
  status: 'resolved' | 'open' | 'overdue';
}

/**
 * The briefing region's targets of the month judged (queries/targets.ts getTargets: attainment, year to
 * date against time progress, status, score and rank among the cities), and — in the province's
 * briefing only — the cities' league (getScorecard). A city's holds its own score and rank, no other's.
 */
export interface BriefingTargets {
  score: number | null;
  /** Among the cities, 1 the highest score; null for the province and for a city without a score. */
  rank: number | null;
  /** How many cities have a score. */
  ranked: number;
  rows: TargetRow[];
  /** Every city's score and rank, best first: the province's briefing only, [] in a city's. */
  league: ScorecardRow[];
}

/** The month's escalated complaints of the briefing's scope: the first `rows` (oldest first) of `total`. */
export interface EscalatedList {
  total: number;
  rows: EscalatedComplaint[];
}

export interface LoadRow {
  load_id: number;
  file_name: string;
  kind: string;
  rows_loaded: number | null;
  rows_rejected: number | null;
  /** Rows of this load in the briefing's slice(s); a city's briefing has only these (rows_loaded, rows_rejected null). */
  slice_rows: number;
  finished_at: string | null;
}

/** A city's place among the cities (domain/ranking.ts: 1 = best by the KPI's direction), of those ranked. */
export interface Rank {
  rank: number;
  of: number;
}

/** A city of the comparison chart: its value of COMPARISON_KEY and whether that is null for a missing extract. */
export interface CityFigure {
  region_code: string;
  name: string;
  nameEn: string;
  value: number | null;
  notReported: boolean;
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
  /**
   * The extracts of the month that have not arrived (getKpis' `missing_extracts`): kind → region codes,
   * for the city itself, or for the province every city of the region list without that kind.
   */
  missing: MissingExtracts;
  /** How many regions the region list holds: for the province a kind is missing only when all lack it. */
  regionCount: number;
  /** The month before and the same month a year before (null when the warehouse has no such month). */
  previous: Values | null;
  lastYear: Values | null;
  /** Rank among the cities for RANK_KEYS; null for the province, a missing value or a `none` KPI. */
  ranks: Record<string, Rank | null>;
  /** The 12 months ending with `period`, oldest first. */
  periods: string[];
  /** key → one value per month of `periods`. */
  series: Record<string, (number | null)[]>;
  /**
   * Each city's value of COMPARISON_KEY in `period`, for the province's city comparison chart; empty in
   * a city's briefing, which holds nothing of another city (only its own ranks).
   */
  cities: CityFigure[];
  /** The province's value of COMPARISON_KEY, the comparison chart's reference line; null for a city. */
  comparisonReference: number | null;
  /** Per channel type, complaint category and source, and customer group (segment), in the contracts' order. */
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
  /**
   * The month's escalated complaints of the region (the province: of every city), null when the
   * region's complaint extract has not arrived (for the province: no city's has).
   */
  escalated: EscalatedList | null;
  targets: BriefingTargets;
  /** The region names of every city code in `escalated` (the province's list names the city). */
  cityNames: Record<string, { zh: string; en: string }>;
  loads: LoadRow[];
}

/** Escalated complaints kept in a briefing's data (the XLSX lists them all, the PDF the first PDF_ESCALATED). */
export const MAX_ESCALATED = 5000;
export const PDF_ESCALATED = 60;

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

/**
 * The channel section's tiles: exclusive social outlets beside shared ones — adds per outlet and
 * commission per add side by side (does exclusivity rest on a commission advantage?) — then the
 * exclusive outlets, their share of the adds and the commission's share of revenue.
 */
export const CHANNEL_KEYS = [
  'adds_per_outlet_exclusive',
  'adds_per_outlet_shared',
  'commission_per_add_exclusive',
  'commission_per_add_shared',
  'exclusive_outlets',
  'exclusive_adds_share',
  'commission_total',
  'commission_revenue_ratio',
] as const;

/** The complaints section's tiles: what is still open and overdue, and the appeals to the regulator. */
export const COMPLAINT_KEYS = ['complaints', 'open_complaints', 'overdue_open_complaints', 'regulator_complaints_per_million'] as const;

/** Complaints per service (complaints_mobile, …): the complaints section's chart. */
export const COMPLAINTS_BY_SERVICE = SERVICE_CODES.map((s) => `complaints_${s}`);

/** Every key the briefing ranks among the cities (a tile's "第n/N名"). */
export const RANK_KEYS: readonly string[] = [...new Set<string>([...HEADLINE_KEYS, ...CHANNEL_KEYS, ...COMPLAINT_KEYS])];

/** Keys drawn over the 12 months. */
export const SERIES_KEYS = [
  'convergence_rate',
  'churn_rate_converged',
  'churn_rate_standalone',
  ...SERVICE_CODES.map((s) => `revenue_${s}`),
  'escalated_complaints',
  'sla_met_rate',
  'overdue_open_complaints',
] as const;

/** The KPI the cities are compared on, on the first page. */
export const COMPARISON_KEY = 'convergence_rate';

/** Data-quality figures of kpis.md that the note at the end reports. */
export const QUALITY_KEYS = ['unattributed_adds', 'vanished_subscriptions', 'orphan_revenue_rows'] as const;

export interface Column {
  /** A metric of the breakdown row (or of the service table). */
  field: string;
  label: Record<Lang, string>;
  kind: KpiUnit;
  /** A catalogue key computed from the same extract kinds: a null cell is "not reported" when one is missing. */
  sourceKey: string;
}

const labels = (key: string): Record<Lang, string> => ({ zh: kpiLabel(key, 'zh'), en: kpiLabel(key, 'en') });
/** A KPI's column: the catalogue's unit, and its labels unless a narrow column needs shorter ones. */
const kpiCol = (key: string, label = labels(key), sourceKey = key): Column => ({ field: key, label, kind: kindOf(key), sourceKey });
/** A figure the catalogue holds only per channel type (active_outlets_partner_full, …), here per row. */
const col = (field: string, label: Record<Lang, string>, kind: KpiUnit, sourceKey: string): Column => ({ field, label, kind, sourceKey });

/** By category and by source; a source is escalated or not as a whole, so only categories count escalations. */
const complaintColumns = (withEscalated: boolean): Column[] => [
  kpiCol('complaints'),
  kpiCol('complaints_per_10k'),
  ...(withEscalated ? [kpiCol('escalated_complaints')] : []),
  kpiCol('sla_met_rate'),
  kpiCol('mean_resolution_hours', { zh: '平均时长(小时)', en: 'Mean hours' }),
  kpiCol('satisfaction_rate'),
];

/** The tables of the briefing, shared by the PDF and the XLSX so that both show the same columns (titles in text.ts). */
export const TABLES: Record<BreakdownDimension, { columns: Column[] }> = {
  channel_type: {
    columns: [
      // A channel type's figures need the outlets (channel extract) and, but for outlets and
      // commission, the adds they sold (subscriber): the sources of commission_per_add / commission_total.
      kpiCol('gross_adds', undefined, 'commission_per_add'),
      kpiCol('converged_adds_share', undefined, 'commission_per_add'),
      col('active_outlets', { zh: '在营网点', en: 'Active outlets' }, 'count', 'commission_total'),
      col('adds_per_outlet', { zh: '店均新增', en: 'Adds per outlet' }, 'average', 'commission_per_add'),
      col('commission', { zh: '酬金', en: 'Commission' }, 'money', 'commission_total'),
      kpiCol('commission_per_add'),
      kpiCol('exclusive_adds_share', { zh: '排他新增占比', en: 'Exclusive share' }),
    ],
  },
  category: { columns: complaintColumns(true) },
  source: { columns: complaintColumns(false) },
  // The customer groups: mart_kpis_segment's figures (a customer counts in each group it holds).
  segment: {
    columns: ['active_subscriptions', 'net_adds', 'gross_adds', 'churn_rate', 'convergence_rate', 'revenue', 'arpu', 'arpa'].map((k) => kpiCol(k)),
  },
};

/** Revenue, ARPU and subscriptions per service, read from the per-service KPI families. */
export const SERVICE_COLUMNS: Column[] = [kpiCol('active_subscriptions'), kpiCol('revenue'), kpiCol('arpu')];

export function kindOf(key: string): KpiUnit {
  return kpiMeta(key).kind;
}

/** The extracts by their names in the data-quality note (投诉清单未上报). */
export const EXTRACT_NAMES: Record<Kind, { zh: string; en: string }> = {
  subscriber: { zh: '用户清单', en: 'subscriber extract' },
  channel: { zh: '渠道清单', en: 'channel extract' },
  complaint: { zh: '投诉清单', en: 'complaint extract' },
  revenue: { zh: '收入清单', en: 'revenue extract' },
  target: { zh: '考核目标', en: 'targets' },
};

/** A load's kind as the load table names it (用户清单), or the kind itself when it is no data kind. */
export function extractName(kind: string, lang: Lang = 'zh'): string {
  return (KINDS as readonly string[]).includes(kind) ? EXTRACT_NAMES[kind as Kind][lang] : kind;
}

/** Whether `value` of `key` (or of a column's source key) is null because an extract of its sources has not arrived. */
export function notReported(d: Pick<BriefingData, 'region' | 'missing' | 'regionCount'>, key: string, value: number | null | undefined): boolean {
  return isNotReported(key, value ?? null, d.region, d.missing, d.regionCount);
}

/** The briefing's own region in `lang`. */
export function regionLabel(d: Pick<BriefingData, 'regionZh' | 'regionEn'>, lang: Lang): string {
  return lang === 'zh' ? d.regionZh : d.regionEn;
}

/** Each data kind, named (投诉清单), with the names of the regions of the briefing's scope that lack it this month. */
export function extractStatus(
  d: Pick<BriefingData, 'region' | 'regionZh' | 'regionEn' | 'missing' | 'cities'>,
  lang: Lang = 'zh',
): { kind: DataKind; name: string; missing: string[] }[] {
  const names = new Map(d.cities.map((c) => [c.region_code, lang === 'zh' ? c.name : c.nameEn]));
  // A city's briefing names only the city itself, whatever else the answer held.
  const scoped = (codes: readonly string[]) =>
    d.region === 'ALL' ? codes.map((code) => names.get(code) ?? code) : codes.filter((c) => c === d.region).map(() => regionLabel(d, lang));
  return DATA_KINDS.map((kind) => ({ kind, name: EXTRACT_NAMES[kind][lang], missing: scoped(d.missing[kind] ?? []) }));
}
