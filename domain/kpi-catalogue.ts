// The KPI catalogue: every key the API, the CLI, the dashboard, the briefings and docs/kpis.md use,
// once, in mart_kpis' column order (a test checks the columns against it), with what it takes to show
// a figure (labels, unit) and to judge it (direction, the extracts it is computed from, additivity).
// The families (per service, channel type, complaint category) expand from the contracts'
// enumerations. Browser-safe: the dashboard reads it through charts/labels.ts.
import type { Kind } from './contracts.ts';
import { ENUMERATIONS, type Dimension } from './enumerations.ts';

/**
 * How a figure reads and is formatted: count, an integer; ratio, a fraction (0.1234, shown as a
 * percentage); money, yuan exact to the fen; per_10k, per 10,000 subscriptions; per_million, per
 * 1,000,000 subscriptions; average, a mean count (adds per outlet); hours.
 */
export type KpiUnit = 'count' | 'ratio' | 'money' | 'per_10k' | 'per_million' | 'average' | 'hours';
export const KPI_UNITS: readonly KpiUnit[] = ['count', 'ratio', 'money', 'per_10k', 'per_million', 'average', 'hours'];

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
  /**
   * The extract kinds the figure is computed from, the main one first: where one of them has no
   * slice for the (region, month) the figure is null, "not reported" (kpis.md v2).
   */
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
const COMPLAINT_PER_SUBS: readonly Kind[] = ['complaint', 'subscriber'];

const UNIT_TEXT: Partial<Record<KpiUnit, DisplayUnit>> = {
  per_10k: { zh: '件/万户', en: 'per 10k subs' },
  per_million: { zh: '件/百万户', en: 'per million subs' },
  hours: { zh: '小时', en: 'hours' },
};

/** ARPU is per subscription (用户), ARPA per customer account (户). */
const PER_SUBSCRIPTION: DisplayUnit = { zh: '元/用户·月', en: 'per subscription · month' };
const PER_CUSTOMER: DisplayUnit = { zh: '元/户·月', en: 'per customer · month' };

/**
 * One key per code of an enumeration, `${prefix}${code}`; the labels put the code's name first
 * ("宽带出账收入", "Broadband revenue").
 */
function family(dimension: Dimension, prefix: string, row: Omit<Row, 'key' | 'def'> & { def: (name: string) => string }): Row[] {
  const e = ENUMERATIONS[dimension];
  return e.values.map(({ code, label }) => {
    const name = e.en[code] ?? code;
    return { ...row, key: `${prefix}${code}`, zh: label + row.zh, en: `${name} ${row.en}`, def: row.def(name) };
  });
}

const subscribers: Row[] = [
  { key: 'active_subscriptions', unit: 'count', zh: '到达用户数', en: 'Active subscriptions', from: SUBSCRIBER, segment: true, def: "Subscriptions in the month's subscriber extract that are active on its last day: activated by then and not terminated by then." },
  ...family('service', 'active_subscriptions_', {
    unit: 'count', zh: '到达用户', en: 'active subscriptions', from: SUBSCRIBER,
    def: (s) => `Active subscriptions of the ${s} service.`,
  }),
  { key: 'active_customers', unit: 'count', zh: '到达客户数', en: 'Active customers', from: SUBSCRIBER, segment: true, def: 'Distinct customers holding at least one active subscription; for the province a customer with subscriptions in several cities counts once.' },
  { key: 'converged_customers', unit: 'count', zh: '融合客户数', en: 'Converged customers', from: SUBSCRIBER, segment: true, def: 'Active customers holding an active subscription in a bundle whose active subscriptions that month cover at least two different services, the bundle counted across all cities.' },
  { key: 'convergence_rate', unit: 'ratio', zh: '融合渗透率', en: 'Convergence rate', from: SUBSCRIBER, segment: true, def: 'Converged customers as a share of active customers.' },
  ...[1, 2, 3, 4].map((n): Row => ({
    key: `customers_${n}_play`, unit: 'count', zh: `${n}产品客户数`, en: `${n}-play customers`, from: SUBSCRIBER, better: 'none',
    def: `Active customers whose active subscriptions cover exactly ${n === 1 ? 'one service' : `${n} different services`}, bundled or not.`,
  })),
  { key: 'gross_adds', unit: 'count', zh: '新增用户', en: 'Gross adds', from: SUBSCRIBER, additive: true, segment: true, def: "Subscriptions in the month's extract that were activated during the month." },
  // kpis.md's direction list names churn_rate* as lower; churned counts the same loss, so more
  // churners is worse, never better, and it is judged the same way.
  { key: 'churned', unit: 'count', zh: '离网用户', en: 'Churned subscriptions', from: SUBSCRIBER, better: 'lower', additive: true, segment: true, def: "Subscriptions in the month's extract that were terminated during the month; one that merely drops out of the next extract is not churn (see vanished_subscriptions)." },
  { key: 'churn_rate', unit: 'ratio', zh: '离网率', en: 'Churn rate', from: SUBSCRIBER, better: 'lower', segment: true, def: "Churned subscriptions over the active subscriptions at the end of the previous month; null without the previous month's subscriber extract, and for the province like for like, over the cities that have both months." },
  { key: 'churn_rate_converged', unit: 'ratio', zh: '融合离网率', en: 'Churn rate, converged', from: SUBSCRIBER, better: 'lower', def: 'Of the subscriptions active in a converged bundle at the end of the previous month (in that month’s region), the share terminated this month: a cohort rate, like for like for the province.' },
  { key: 'churn_rate_standalone', unit: 'ratio', zh: '非融合离网率', en: 'Churn rate, non-converged', from: SUBSCRIBER, better: 'lower', def: 'The same cohort rate for the subscriptions that were active outside any converged bundle at the end of the previous month.' },
  { key: 'net_adds', unit: 'count', zh: '净增用户', en: 'Net adds', from: SUBSCRIBER, additive: true, segment: true, def: 'Active subscriptions at the end of the month minus those at the end of the previous month; null without the previous month, and for the province over the cities that have both months, so a city loaded for the first time is no net add.' },
  { key: 'vanished_subscriptions', unit: 'count', zh: '异常消失用户(数据质量)', en: 'Vanished subscriptions (data quality)', from: SUBSCRIBER, better: 'lower', quality: true, def: 'Subscriptions active at the end of the previous month that appear in no subscriber extract of this month, over the cities that have both months; a data-quality figure, not churn.' },
];

const revenue: Row[] = [
  { key: 'revenue', unit: 'money', zh: '出账收入', en: 'Revenue', from: REVENUE, additive: true, segment: true, def: "Net billed revenue: amount minus discount, summed over the month's revenue rows." },
  ...family('service', 'revenue_', {
    unit: 'money', zh: '出账收入', en: 'revenue', from: REVENUE, additive: true,
    def: (s) => `Net billed revenue of the ${s} service.`,
  }),
  { key: 'gross_amount', unit: 'money', zh: '优惠前收入', en: 'Revenue before discounts', from: REVENUE, better: 'none', additive: true, segment: true, def: 'The amounts billed before discounts, summed.' },
  { key: 'discount_rate', unit: 'ratio', zh: '优惠率', en: 'Discount rate', from: REVENUE, better: 'lower', segment: true, def: 'Discounts as a share of the revenue before discounts.' },
  { key: 'arpu', unit: 'money', zh: 'ARPU', en: 'ARPU', from: REVENUE_PER_HEAD, segment: true, display: PER_SUBSCRIPTION, def: "Net revenue per average subscription, the average of this and the previous month's active subscriptions (this month's alone without the previous month); for the province the sum of the cities' own averages, over the cities with both extracts." },
  ...family('service', 'arpu_', {
    unit: 'money', zh: 'ARPU', en: 'ARPU', from: REVENUE_PER_HEAD, display: PER_SUBSCRIPTION,
    def: (s) => `Net revenue of the ${s} service per average ${s} subscription, averaged as for arpu.`,
  }),
  { key: 'arpa', unit: 'money', zh: '户均收入', en: 'ARPA', from: REVENUE_PER_HEAD, segment: true, display: PER_CUSTOMER, def: 'Net revenue per active customer account.' },
  { key: 'arpa_converged', unit: 'money', zh: '融合户均收入', en: 'ARPA, converged', from: REVENUE_PER_HEAD, display: PER_CUSTOMER, def: 'Net revenue of the converged customers, by their customer id, per converged customer.' },
  { key: 'arpa_standalone', unit: 'money', zh: '非融合户均收入', en: 'ARPA, non-converged', from: REVENUE_PER_HEAD, display: PER_CUSTOMER, def: 'Net revenue of the active customers who are not converged, per such customer; revenue of customers not active counts in neither ARPA.' },
  { key: 'orphan_revenue_rows', unit: 'count', zh: '无对应用户的收入行(数据质量)', en: 'Orphan revenue rows (data quality)', from: REVENUE, better: 'lower', quality: true, def: 'Revenue rows of the month whose subscription is in no subscriber extract of the month; a data-quality figure.' },
  { key: 'zero_revenue_share', unit: 'ratio', zh: '零收入用户占比', en: 'Zero-revenue share', from: REVENUE_PER_HEAD, better: 'lower', def: "The share of the active subscriptions whose net revenue of the month, over their revenue rows by subscription id, is zero or less, or that have no revenue row." },
];

const channels: Row[] = [
  ...family('channel_type', 'gross_adds_', {
    unit: 'count', zh: '新增用户', en: 'adds', from: CHANNEL_ADDS, additive: true,
    def: (c) => `Gross adds sold through outlets of the type “${c}”, credited to the outlet's city whatever the subscription's city.`,
  }),
  { key: 'converged_adds_share', unit: 'ratio', zh: '融合新增占比', en: 'Converged share of adds', from: SUBSCRIBER, def: "The share of the month's gross adds that are in a converged bundle at the end of the month (a bundle of one service is not converged), by the subscription's city." },
  ...family('channel_type', 'active_outlets_', {
    unit: 'count', zh: '网点数', en: 'outlets', from: CHANNEL,
    def: (c) => `Outlets of the type “${c}” open at the end of the month.`,
  }),
  ...family('channel_type', 'adds_per_outlet_', {
    unit: 'average', zh: '店均新增', en: 'adds per outlet', from: CHANNEL_ADDS,
    def: (c) => `Gross adds sold through “${c}” outlets per such outlet open at the end of the month, in the outlets' city.`,
  }),
  { key: 'commission_total', unit: 'money', zh: '渠道酬金', en: 'Commission', from: CHANNEL, better: 'none', additive: true, def: "The commission of the month's outlets, summed by the outlet's own city." },
  { key: 'commission_per_add', unit: 'money', zh: '社会渠道单户酬金', en: 'Commission per add', from: CHANNEL_ADDS, better: 'lower', def: "The commission of the city's social outlets (the three social channel types) per gross add they sold." },
  { key: 'exclusive_adds_share', unit: 'ratio', zh: '排他渠道新增占比', en: 'Exclusive outlets’ share of adds', from: CHANNEL_ADDS, def: "The share of the social outlets' gross adds that exclusive social outlets sold." },
  { key: 'exclusive_outlets', unit: 'count', zh: '排他网点数', en: 'Exclusive outlets', from: CHANNEL, def: 'Social outlets marked exclusive that are open at the end of the month.' },
  { key: 'adds_per_outlet_exclusive', unit: 'average', zh: '排他网点店均新增', en: 'Adds per exclusive outlet', from: CHANNEL_ADDS, def: 'Gross adds sold by exclusive social outlets, open or not, per exclusive social outlet open at the end of the month.' },
  { key: 'adds_per_outlet_shared', unit: 'average', zh: '非排他网点店均新增', en: 'Adds per shared outlet', from: CHANNEL_ADDS, def: 'Gross adds sold by non-exclusive social outlets, open or not, per non-exclusive social outlet open at the end of the month.' },
  { key: 'commission_per_add_exclusive', unit: 'money', zh: '排他网点单户酬金', en: 'Commission per add, exclusive', from: CHANNEL_ADDS, better: 'lower', def: 'The commission of exclusive social outlets per gross add they sold: set beside the shared figure, whether exclusivity rests on a commission advantage.' },
  { key: 'commission_per_add_shared', unit: 'money', zh: '非排他网点单户酬金', en: 'Commission per add, shared', from: CHANNEL_ADDS, better: 'lower', def: 'The commission of non-exclusive social outlets per gross add they sold.' },
  { key: 'commission_revenue_ratio', unit: 'ratio', zh: '酬金占收比', en: 'Commission to revenue', from: ['channel', 'revenue'], better: 'lower', def: "The month's commission as a share of its net revenue; for the province over the cities with both extracts." },
  { key: 'unattributed_adds', unit: 'count', zh: '无渠道归属新增(数据质量)', en: 'Unattributed adds (data quality)', from: ['subscriber', 'channel'], better: 'lower', quality: true, def: "Gross adds, by the subscription's city, whose outlet is empty or matches no channel row loaded for the month in any city; a data-quality figure." },
];

const complaints: Row[] = [
  { key: 'complaints', unit: 'count', zh: '投诉量', en: 'Complaints', from: COMPLAINT, better: 'lower', additive: true, def: 'Complaints received in the month.' },
  { key: 'complaints_per_10k', unit: 'per_10k', zh: '万户投诉率', en: 'Complaints per 10k', from: COMPLAINT_PER_SUBS, better: 'lower', def: "Complaints per 10,000 subscriptions active at the end of the month; for the province over the cities with both a complaint and a subscriber extract." },
  { key: 'escalated_complaints', unit: 'count', zh: '越级投诉量', en: 'Escalated complaints', from: COMPLAINT, better: 'lower', additive: true, def: 'Complaints that arrived through the media, the regulator or the upper company.' },
  { key: 'escalated_per_10k', unit: 'per_10k', zh: '万户越级投诉率', en: 'Escalated per 10k', from: COMPLAINT_PER_SUBS, better: 'lower', def: 'Escalated complaints per 10,000 subscriptions active at the end of the month; for the province over the cities with both extracts.' },
  { key: 'sla_met_rate', unit: 'ratio', zh: '投诉处理及时率', en: 'Handled on time', from: COMPLAINT, def: "Complaints resolved by their deadline (receipt plus the SLA hours: 48 when empty, 72 for installation), over those resolved or past their deadline, both as of the month's last second." },
  { key: 'mean_resolution_hours', unit: 'hours', zh: '平均处理时长', en: 'Mean resolution time', from: COMPLAINT, better: 'lower', def: "Mean hours from receipt to resolution, over the complaints resolved by the month's last second." },
  { key: 'repeat_rate', unit: 'ratio', zh: '重复投诉率', en: 'Repeat complaints', from: COMPLAINT, better: 'lower', def: 'The share of complaints that repeat an earlier one.' },
  { key: 'satisfaction_rate', unit: 'ratio', zh: '投诉处理满意率', en: 'Satisfaction', from: COMPLAINT, def: 'Satisfied answers as a share of the complaints that have a satisfaction answer, whenever they were resolved.' },
  ...family('category', 'complaints_', {
    unit: 'count', zh: '投诉量', en: 'complaints', from: COMPLAINT, better: 'lower', additive: true,
    def: (c) => `Complaints received in the month in the category “${c}”.`,
  }),
  ...family('service', 'complaints_', {
    unit: 'count', zh: '投诉量', en: 'complaints', from: COMPLAINT, better: 'lower', additive: true,
    def: (s) => `Complaints received in the month about the ${s} service; a complaint without a service counts in none.`,
  }),
  { key: 'open_complaints', unit: 'count', zh: '未办结投诉', en: 'Open complaints', from: COMPLAINT, better: 'lower', def: "Complaints of the month not resolved by the month's last second." },
  { key: 'overdue_open_complaints', unit: 'count', zh: '超时未办结投诉', en: 'Overdue open complaints', from: COMPLAINT, better: 'lower', def: "Open complaints whose deadline had passed by the month's last second." },
  { key: 'regulator_complaints_per_million', unit: 'per_million', zh: '百万用户申诉率', en: 'Regulator appeals per million', from: COMPLAINT_PER_SUBS, better: 'lower', def: 'Complaints received through the regulator (申诉) per 1,000,000 subscriptions active at the end of the month; for the province over the cities with both extracts.' },
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
