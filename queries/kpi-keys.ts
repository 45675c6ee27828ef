// The KPI catalogue of ../shared/design/kpis.md as data: every key the API, the CLI, the dashboard
// and the briefings use, in the catalogue's order, with its unit. The families (per service,
// channel type, complaint category) expand from the enumerations of the extract contracts.
// mart_kpis has exactly one column per key (a test checks it).
import { CHANNEL_TYPES, COMPLAINT_CATEGORIES, SERVICES } from '../domain/contracts.ts';

/**
 * count: an integer; ratio: a fraction (0.1234, shown as a percentage); money: yuan, exact to the
 * fen; per_10k: per 10,000 subscriptions; average: a mean count (adds per outlet); hours.
 */
export type KpiUnit = 'count' | 'ratio' | 'money' | 'per_10k' | 'average' | 'hours';
export type KpiGroup = 'subscribers' | 'revenue' | 'channels' | 'complaints';

export interface KpiDefinition {
  key: string;
  group: KpiGroup;
  unit: KpiUnit;
  label_zh: string;
  /** Also available per customer group (segment filter) from mart_kpis_segment. */
  by_segment: boolean;
  /** A data-quality figure: describes the extracts, not the business. */
  data_quality?: boolean;
}

type Base = [key: string, unit: KpiUnit, label: string, bySegment?: boolean];

const subscribers: Base[] = [
  ['active_subscriptions', 'count', '在网业务数', true],
  ...SERVICES.map((s): Base => [`active_subscriptions_${s.code}`, 'count', `在网业务数·${s.label}`]),
  ['active_customers', 'count', '在网客户数', true],
  ['converged_customers', 'count', '融合客户数', true],
  ['convergence_rate', 'ratio', '融合渗透率', true],
  ...[1, 2, 3, 4].map((n): Base => [`customers_${n}_play`, 'count', `${n}产品客户数`]),
  ['gross_adds', 'count', '新增业务数', true],
  ['churned', 'count', '离网业务数', true],
  ['churn_rate', 'ratio', '离网率', true],
  ['churn_rate_converged', 'ratio', '融合业务离网率'],
  ['churn_rate_standalone', 'ratio', '单产品业务离网率'],
  ['net_adds', 'count', '净增业务数', true],
  ['vanished_subscriptions', 'count', '无故消失业务数'],
];

const revenue: Base[] = [
  ['revenue', 'money', '收入', true],
  ...SERVICES.map((s): Base => [`revenue_${s.code}`, 'money', `收入·${s.label}`]),
  ['gross_amount', 'money', '应收金额', true],
  ['discount_rate', 'ratio', '优惠率', true],
  ['arpu', 'money', 'ARPU', true],
  ...SERVICES.map((s): Base => [`arpu_${s.code}`, 'money', `ARPU·${s.label}`]),
  ['arpa', 'money', 'ARPA', true],
  ['arpa_converged', 'money', '融合客户ARPA'],
  ['arpa_standalone', 'money', '非融合客户ARPA'],
  ['orphan_revenue_rows', 'count', '无对应业务的收入行'],
];

const channels: Base[] = [
  ...CHANNEL_TYPES.map((c): Base => [`gross_adds_${c.code}`, 'count', `新增·${c.label}`]),
  ['converged_adds_share', 'ratio', '新增融合占比'],
  ...CHANNEL_TYPES.map((c): Base => [`active_outlets_${c.code}`, 'count', `在营网点·${c.label}`]),
  ...CHANNEL_TYPES.map((c): Base => [`adds_per_outlet_${c.code}`, 'average', `网点单产·${c.label}`]),
  ['commission_total', 'money', '酬金总额'],
  ['commission_per_add', 'money', '社会渠道单户酬金'],
  ['exclusive_adds_share', 'ratio', '排他网点新增占比'],
  ['unattributed_adds', 'count', '无渠道归属新增'],
];

const complaints: Base[] = [
  ['complaints', 'count', '投诉量'],
  ['complaints_per_10k', 'per_10k', '万户投诉率'],
  ['escalated_complaints', 'count', '越级投诉量'],
  ['escalated_per_10k', 'per_10k', '万户越级投诉率'],
  ['sla_met_rate', 'ratio', '时限内处理率'],
  ['mean_resolution_hours', 'hours', '平均处理时长(小时)'],
  ['repeat_rate', 'ratio', '重复投诉率'],
  ['satisfaction_rate', 'ratio', '满意率'],
  ...COMPLAINT_CATEGORIES.map((c): Base => [`complaints_${c.code}`, 'count', `投诉量·${c.label}`]),
];

const DATA_QUALITY = new Set(['vanished_subscriptions', 'unattributed_adds', 'orphan_revenue_rows']);

function define(group: KpiGroup, rows: Base[]): KpiDefinition[] {
  return rows.map(([key, unit, label_zh, bySegment]) => ({
    key,
    group,
    unit,
    label_zh,
    by_segment: bySegment === true,
    ...(DATA_QUALITY.has(key) ? { data_quality: true } : {}),
  }));
}

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  ...define('subscribers', subscribers),
  ...define('revenue', revenue),
  ...define('channels', channels),
  ...define('complaints', complaints),
];

export const KPI_KEYS: readonly string[] = KPI_DEFINITIONS.map((d) => d.key);

/** Keys also computed per customer group (the dashboard's segment filter). */
export const SEGMENT_KPI_KEYS: readonly string[] = KPI_DEFINITIONS.filter((d) => d.by_segment).map((d) => d.key);

const byKey = new Map(KPI_DEFINITIONS.map((d) => [d.key, d]));

export function isKpiKey(key: string): boolean {
  return byKey.has(key);
}

export function kpiDefinition(key: string): KpiDefinition | undefined {
  return byKey.get(key);
}
