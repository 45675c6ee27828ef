// The KPI catalogue: every key the API, the CLI, the dashboard, the briefings and docs/kpis.md use,
// once, in mart_kpis' column order (a test checks the columns against it), with what it takes to show
// a figure (labels, unit) and to judge it (direction, the extracts it is computed from, additivity).
// The families (per service, channel type, complaint category) expand from the contracts'
// enumerations. Browser-safe: the dashboard reads it through charts/labels.ts.
import type { Kind } from './contracts.ts';
import { ENUMERATIONS, type Dimension } from './enumerations.ts';

/**
 * How a figure reads and is formatted: count, an integer; ratio, a fraction (0.1234, shown as a
 * percentage); money, yuan exact to the fen; per_10k, per 10,000 subscriptions; average, a mean
 * count (adds per outlet); hours.
 */
export type KpiUnit = 'count' | 'ratio' | 'money' | 'per_10k' | 'average' | 'hours';
export const KPI_UNITS: readonly KpiUnit[] = ['count', 'ratio', 'money', 'per_10k', 'average', 'hours'];

export type KpiGroup = 'subscribers' | 'revenue' | 'channels' | 'complaints';
export const KPI_GROUPS: readonly KpiGroup[] = ['subscribers', 'revenue', 'channels', 'complaints'];

/** Which way is an improvement; a `none` figure is neither good nor bad when it moves. */
export type KpiDirection = 'higher' | 'lower' | 'none';
export const KPI_DIRECTIONS: readonly KpiDirection[] = ['higher', 'lower', 'none'];

/** The unit printed beside a value where the number alone would be ambiguous. */
export interface DisplayUnit {
  zh: string;
  en: string;
}

export interface KpiDefinition {
  key: string;
  group: KpiGroup;
  label_zh: string;
  label_en: string;
  unit: KpiUnit;
  /** Null where the formatted number speaks for itself (a count, ¥, %). */
  display_unit: DisplayUnit | null;
  direction: KpiDirection;
  /** The extract kinds the figure is computed from, the main one first. */
  sources: readonly Kind[];
  /** A figure over several months is the sum of the monthly ones. */
  additive: boolean;
  /** Also computed per customer segment (mart_kpis_segment, the dashboard's segment filter). */
  by_segment: boolean;
  /** Describes the extracts rather than the business. */
  data_quality: boolean;
  /** One sentence, for docs/kpis.md. */
  definition: string;
}

interface Row {
  key: string;
  unit: KpiUnit;
  zh: string;
  en: string;
  from: readonly Kind[];
  def: string;
  /** Default: higher. */
  better?: 'lower' | 'none';
  additive?: true;
  segment?: true;
  quality?: true;
  display?: DisplayUnit;
}

const SUBSCRIBER: readonly Kind[] = ['subscriber'];
const REVENUE: readonly Kind[] = ['revenue'];
const REVENUE_PER_HEAD: readonly Kind[] = ['revenue', 'subscriber'];
const CHANNEL: readonly Kind[] = ['channel'];
const CHANNEL_ADDS: readonly Kind[] = ['channel', 'subscriber'];
const COMPLAINT: readonly Kind[] = ['complaint'];
const COMPLAINT_PER_10K: readonly Kind[] = ['complaint', 'subscriber'];

const UNIT_TEXT: Partial<Record<KpiUnit, DisplayUnit>> = {
  per_10k: { zh: '件/万户', en: 'per 10k subs' },
  hours: { zh: '小时', en: 'hours' },
};

/**
 * One key per code of an enumeration, `${prefix}${code}`; the labels put the code's name first
 * ("宽带收入", "Broadband revenue").
 */
function family(dimension: Dimension, prefix: string, row: Omit<Row, 'key' | 'def'> & { def: (name: string) => string }): Row[] {
  const e = ENUMERATIONS[dimension];
  return e.values.map(({ code, label }) => {
    const name = e.en[code] ?? code;
    return { ...row, key: `${prefix}${code}`, zh: label + row.zh, en: `${name} ${row.en}`, def: row.def(name) };
  });
}

const subscribers: Row[] = [
  { key: 'active_subscriptions', unit: 'count', zh: '在网业务数', en: 'Active subscriptions', from: SUBSCRIBER, segment: true, def: "Subscriptions in the month's subscriber extract that are active on its last day: activated by then and not yet terminated." },
  ...family('service', 'active_subscriptions_', {
    unit: 'count', zh: '在网业务', en: 'active', from: SUBSCRIBER,
    def: (s) => `Active subscriptions of the ${s} service.`,
  }),
  { key: 'active_customers', unit: 'count', zh: '在网客户数', en: 'Active customers', from: SUBSCRIBER, segment: true, def: 'Distinct customers holding at least one active subscription.' },
  { key: 'converged_customers', unit: 'count', zh: '融合客户数', en: 'Converged customers', from: SUBSCRIBER, segment: true, def: 'Active customers with a subscription in a bundle that has active subscriptions of at least two different services that month, counted across all cities.' },
  { key: 'convergence_rate', unit: 'ratio', zh: '融合渗透率', en: 'Convergence rate', from: SUBSCRIBER, segment: true, def: 'Converged customers as a share of active customers.' },
  ...[1, 2, 3, 4].map((n): Row => ({
    key: `customers_${n}_play`, unit: 'count', zh: `${n}产品客户`, en: `${n}-play customers`, from: SUBSCRIBER, better: 'none',
    def: `Active customers whose active subscriptions cover exactly ${n === 1 ? 'one service' : `${n} different services`}, bundled or not.`,
  })),
  { key: 'gross_adds', unit: 'count', zh: '新增业务', en: 'Gross adds', from: SUBSCRIBER, additive: true, segment: true, def: "Subscriptions in the month's extract that were activated during the month." },
  { key: 'churned', unit: 'count', zh: '离网业务', en: 'Churned', from: SUBSCRIBER, additive: true, segment: true, def: "Subscriptions in the month's extract that were terminated during the month; one that merely drops out of the next extract is not churn." },
  { key: 'churn_rate', unit: 'ratio', zh: '离网率', en: 'Churn rate', from: SUBSCRIBER, better: 'lower', segment: true, def: 'Churned subscriptions over the active subscriptions at the end of the previous month; null when that month has no subscriber extract.' },
  { key: 'churn_rate_converged', unit: 'ratio', zh: '融合离网率', en: 'Churn, converged', from: SUBSCRIBER, better: 'lower', def: 'Of the subscriptions active in a converged bundle at the end of the previous month, the share terminated this month (a cohort rate).' },
  { key: 'churn_rate_standalone', unit: 'ratio', zh: '单产品离网率', en: 'Churn, standalone', from: SUBSCRIBER, better: 'lower', def: 'The same cohort rate for the subscriptions that were active outside any converged bundle at the end of the previous month.' },
  { key: 'net_adds', unit: 'count', zh: '净增业务', en: 'Net adds', from: SUBSCRIBER, additive: true, segment: true, def: 'Active subscriptions at the end of the month minus those at the end of the previous month; null without the previous month.' },
  { key: 'vanished_subscriptions', unit: 'count', zh: '无故消失业务数', en: 'Vanished subscriptions', from: SUBSCRIBER, better: 'lower', quality: true, def: 'Subscriptions active at the end of the previous month that appear in no subscriber extract of this month; a data-quality figure, not churn.' },
];

const revenue: Row[] = [
  { key: 'revenue', unit: 'money', zh: '收入', en: 'Revenue', from: REVENUE, additive: true, segment: true, def: "Net revenue: amount minus discount, summed over the month's revenue rows." },
  ...family('service', 'revenue_', {
    unit: 'money', zh: '收入', en: 'revenue', from: REVENUE, additive: true,
    def: (s) => `Net revenue of the ${s} service.`,
  }),
  { key: 'gross_amount', unit: 'money', zh: '应收金额', en: 'Gross amount', from: REVENUE, better: 'none', additive: true, segment: true, def: 'The amounts billed before discounts, summed.' },
  { key: 'discount_rate', unit: 'ratio', zh: '优惠率', en: 'Discount rate', from: REVENUE, better: 'lower', segment: true, def: 'Discounts as a share of the gross amount.' },
  { key: 'arpu', unit: 'money', zh: 'ARPU', en: 'ARPU', from: REVENUE_PER_HEAD, segment: true, display: { zh: '元/户·月', en: 'per sub · month' }, def: "Net revenue per average subscription, the average of this and the previous month's active subscriptions (this month's alone without a previous month)." },
  ...family('service', 'arpu_', {
    unit: 'money', zh: 'ARPU', en: 'ARPU', from: REVENUE_PER_HEAD,
    def: (s) => `Net revenue of the ${s} service per average ${s} subscription, averaged as for arpu.`,
  }),
  { key: 'arpa', unit: 'money', zh: '户均收入', en: 'ARPA', from: REVENUE_PER_HEAD, segment: true, def: 'Net revenue per active customer.' },
  { key: 'arpa_converged', unit: 'money', zh: '融合户均收入', en: 'ARPA, converged', from: REVENUE_PER_HEAD, def: 'Net revenue of the converged customers per converged customer.' },
  { key: 'arpa_standalone', unit: 'money', zh: '单产品户均收入', en: 'ARPA, standalone', from: REVENUE_PER_HEAD, def: 'Net revenue of the active customers who are not converged, per such customer.' },
  { key: 'orphan_revenue_rows', unit: 'count', zh: '无对应业务的收入行', en: 'Orphan revenue rows', from: REVENUE, better: 'lower', quality: true, def: "Revenue rows of the month whose subscription is in no subscriber extract of the month; a data-quality figure." },
];

const channels: Row[] = [
  ...family('channel_type', 'gross_adds_', {
    unit: 'count', zh: '新增', en: 'adds', from: CHANNEL_ADDS, additive: true,
    def: (c) => `Gross adds sold through the channel type “${c}”.`,
  }),
  { key: 'converged_adds_share', unit: 'ratio', zh: '融合新增占比', en: 'Converged share of adds', from: SUBSCRIBER, def: "The share of the month's gross adds that were sold into a bundle." },
  ...family('channel_type', 'active_outlets_', {
    unit: 'count', zh: '网点数', en: 'outlets', from: CHANNEL,
    def: (c) => `Outlets of the type “${c}” open at the end of the month.`,
  }),
  ...family('channel_type', 'adds_per_outlet_', {
    unit: 'average', zh: '店均新增', en: 'adds per outlet', from: CHANNEL_ADDS,
    def: (c) => `Gross adds sold through “${c}” per outlet of that type open at the end of the month.`,
  }),
  { key: 'commission_total', unit: 'money', zh: '渠道酬金', en: 'Commission', from: CHANNEL, better: 'none', additive: true, def: "The commission of the month's outlets, summed by the outlet's own city." },
  { key: 'commission_per_add', unit: 'money', zh: '单用户酬金', en: 'Commission per add', from: CHANNEL_ADDS, better: 'lower', def: 'Commission of the three social channel types per gross add they sold.' },
  { key: 'exclusive_adds_share', unit: 'ratio', zh: '排他渠道新增占比', en: 'Exclusive outlets’ share', from: CHANNEL_ADDS, def: "The share of the social outlets' gross adds that exclusive social outlets sold." },
  { key: 'unattributed_adds', unit: 'count', zh: '无渠道归属新增', en: 'Unattributed adds', from: ['subscriber', 'channel'], better: 'lower', quality: true, def: 'Gross adds whose channel is empty or matches no channel row loaded for the month; a data-quality figure.' },
];

const complaints: Row[] = [
  { key: 'complaints', unit: 'count', zh: '投诉量', en: 'Complaints', from: COMPLAINT, better: 'lower', additive: true, def: 'Complaints received in the month.' },
  { key: 'complaints_per_10k', unit: 'per_10k', zh: '万户投诉率', en: 'Complaints per 10k', from: COMPLAINT_PER_10K, better: 'lower', def: 'Complaints per 10,000 subscriptions active at the end of the month.' },
  { key: 'escalated_complaints', unit: 'count', zh: '越级投诉', en: 'Escalated complaints', from: COMPLAINT, better: 'lower', additive: true, def: 'Complaints that arrived through the media, the regulator or the upper company.' },
  { key: 'escalated_per_10k', unit: 'per_10k', zh: '万户越级投诉率', en: 'Escalated per 10k', from: COMPLAINT_PER_10K, better: 'lower', def: 'Escalated complaints per 10,000 subscriptions active at the end of the month.' },
  { key: 'sla_met_rate', unit: 'ratio', zh: '时限内处理率', en: 'Handled within SLA', from: COMPLAINT, def: "Complaints resolved by their deadline (receipt plus the SLA hours: 48 when empty, 72 for installation), over those resolved or past their deadline by the month's last second." },
  { key: 'mean_resolution_hours', unit: 'hours', zh: '平均处理时长', en: 'Mean resolution time', from: COMPLAINT, better: 'lower', def: "Mean hours from receipt to resolution, over the complaints resolved by the month's last second." },
  { key: 'repeat_rate', unit: 'ratio', zh: '重复投诉率', en: 'Repeat complaints', from: COMPLAINT, better: 'lower', def: 'The share of complaints that repeat an earlier one.' },
  { key: 'satisfaction_rate', unit: 'ratio', zh: '满意率', en: 'Satisfaction', from: COMPLAINT, def: 'Satisfied answers as a share of the complaints that have a satisfaction answer.' },
  ...family('category', 'complaints_', {
    unit: 'count', zh: '投诉', en: 'complaints', from: COMPLAINT, better: 'lower', additive: true,
    def: (c) => `Complaints received in the month in the category “${c}”.`,
  }),
];

function define(group: KpiGroup, rows: readonly Row[]): KpiDefinition[] {
  return rows.map((r) => ({
    key: r.key,
    group,
    label_zh: r.zh,
    label_en: r.en,
    unit: r.unit,
    display_unit: r.display ?? UNIT_TEXT[r.unit] ?? null,
    direction: r.better ?? 'higher',
    sources: r.from,
    additive: r.additive === true,
    by_segment: r.segment === true,
    data_quality: r.quality === true,
    definition: r.def,
  }));
}

export const KPI_CATALOGUE: readonly KpiDefinition[] = [
  ...define('subscribers', subscribers),
  ...define('revenue', revenue),
  ...define('channels', channels),
  ...define('complaints', complaints),
];

export const KPI_KEYS: readonly string[] = KPI_CATALOGUE.map((d) => d.key);

/** Keys also computed per customer segment. */
export const SEGMENT_KPI_KEYS: readonly string[] = KPI_CATALOGUE.filter((d) => d.by_segment).map((d) => d.key);

const byKey = new Map(KPI_CATALOGUE.map((d) => [d.key, d]));

export function isKpiKey(key: string): boolean {
  return byKey.has(key);
}

export function kpiDefinition(key: string): KpiDefinition | undefined {
  return byKey.get(key);
}
