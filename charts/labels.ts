// Names shown for KPI keys, enumeration codes and cities, in Chinese and English. The Chinese labels of
// the enumerations are the contracts' own (one place); English ones live here, as does what each KPI
// reads as (kind), which way is good, and whether the figure exists per customer segment.
import {
  CHANNEL_TYPES,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SOURCES,
  SEGMENTS,
  SERVICES,
  ZHEJIANG_CITIES,
  type EnumValue,
} from '../domain/contracts.ts';
import type { Lang, ValueKind } from './format.ts';

export type Dimension = 'service' | 'segment' | 'channel_type' | 'category' | 'source';

const ENUMS: Record<Dimension, { values: readonly EnumValue[]; en: Record<string, string> }> = {
  service: {
    values: SERVICES,
    en: { mobile: 'Mobile', fixed_voice: 'Fixed voice', broadband: 'Broadband', iptv: 'IPTV' },
  },
  segment: {
    values: SEGMENTS,
    en: { personal: 'Personal', household: 'Household', enterprise: 'Gov. & enterprise' },
  },
  channel_type: {
    values: CHANNEL_TYPES,
    en: {
      self_run_hall: 'Own halls',
      partner_full: 'Class 1 partner halls',
      partner_store: 'Class 2 partner stores',
      service_point: 'Class 3 service points',
      online: 'Online hall',
      hotline: '10000 hotline',
      account_manager: 'Account managers',
    },
  },
  category: {
    values: COMPLAINT_CATEGORIES,
    en: {
      billing: 'Billing',
      network: 'Network quality',
      service_attitude: 'Staff attitude',
      product: 'Plans & products',
      installation: 'Installation & repair',
      other: 'Other',
    },
  },
  source: {
    values: COMPLAINT_SOURCES,
    en: {
      hotline: '10000 hotline',
      hall: 'Service halls',
      online: 'Online',
      media: 'Media',
      regulator: 'MIIT / regulator',
      upper_company: 'Province / group',
    },
  },
};

/** The codes of a dimension in the contracts' order (the order charts and tables use). */
export function enumCodes(dimension: Dimension): string[] {
  return ENUMS[dimension].values.map((v) => v.code);
}

export function enumLabel(dimension: Dimension, code: string, lang: Lang): string {
  const e = ENUMS[dimension];
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

export interface KpiMeta {
  key: string;
  kind: ValueKind;
  zh: string;
  en: string;
  /** Which way is an improvement; colours the month-over-month change. */
  better: 'up' | 'down' | null;
  /** True when mart_kpis_segment holds the figure per customer segment. */
  bySegment: boolean;
}

const meta = (key: string, kind: ValueKind, zh: string, en: string, better: KpiMeta['better'], bySegment = false): KpiMeta => ({
  key,
  kind,
  zh,
  en,
  better,
  bySegment,
});

export const KPIS: readonly KpiMeta[] = [
  meta('active_subscriptions', 'count', '在网业务数', 'Active subscriptions', 'up', true),
  meta('active_customers', 'count', '在网客户数', 'Active customers', 'up', true),
  meta('converged_customers', 'count', '融合客户数', 'Converged customers', 'up', true),
  meta('convergence_rate', 'ratio', '融合渗透率', 'Convergence rate', 'up', true),
  meta('gross_adds', 'count', '新增业务', 'Gross adds', 'up', true),
  meta('churned', 'count', '离网业务', 'Churned', 'down', true),
  meta('net_adds', 'count', '净增业务', 'Net adds', 'up', true),
  meta('churn_rate', 'ratio', '离网率', 'Churn rate', 'down', true),
  meta('churn_rate_converged', 'ratio', '融合离网率', 'Churn, converged', 'down'),
  meta('churn_rate_standalone', 'ratio', '单产品离网率', 'Churn, standalone', 'down'),
  meta('vanished_subscriptions', 'count', '无故消失业务数', 'Vanished subscriptions', 'down'),
  meta('revenue', 'money', '收入', 'Revenue', 'up', true),
  meta('gross_amount', 'money', '应收金额', 'Gross amount', 'up', true),
  meta('discount_rate', 'ratio', '优惠率', 'Discount rate', null, true),
  meta('arpu', 'money', 'ARPU', 'ARPU', 'up', true),
  meta('arpa', 'money', '户均收入', 'ARPA', 'up', true),
  meta('arpa_converged', 'money', '融合户均收入', 'ARPA, converged', 'up'),
  meta('arpa_standalone', 'money', '单产品户均收入', 'ARPA, standalone', 'up'),
  meta('orphan_revenue_rows', 'count', '无对应业务的收入行', 'Orphan revenue rows', 'down'),
  meta('converged_adds_share', 'ratio', '融合新增占比', 'Converged share of adds', 'up'),
  meta('commission_total', 'money', '渠道酬金', 'Commission', null),
  meta('commission_per_add', 'money', '单用户酬金', 'Commission per add', 'down'),
  meta('exclusive_adds_share', 'ratio', '排他渠道新增占比', 'Exclusive outlets’ share', null),
  meta('unattributed_adds', 'count', '无渠道归属新增', 'Unattributed adds', 'down'),
  meta('complaints', 'count', '投诉量', 'Complaints', 'down'),
  meta('complaints_per_10k', 'per10k', '万户投诉率', 'Complaints per 10k', 'down'),
  meta('escalated_complaints', 'count', '越级投诉', 'Escalated complaints', 'down'),
  meta('escalated_per_10k', 'per10k', '万户越级投诉率', 'Escalated per 10k', 'down'),
  meta('sla_met_rate', 'ratio', '时限内处理率', 'Handled within SLA', 'up'),
  meta('mean_resolution_hours', 'hours', '平均处理时长', 'Mean resolution time', 'down'),
  meta('repeat_rate', 'ratio', '重复投诉率', 'Repeat complaints', 'down'),
  meta('satisfaction_rate', 'ratio', '满意率', 'Satisfaction', 'up'),
];

const FAMILIES: readonly { prefix: string; dimension: Dimension; kind: ValueKind; zh: string; en: string }[] = [
  { prefix: 'active_subscriptions_', dimension: 'service', kind: 'count', zh: '在网业务', en: 'active' },
  { prefix: 'revenue_', dimension: 'service', kind: 'money', zh: '收入', en: 'revenue' },
  { prefix: 'arpu_', dimension: 'service', kind: 'money', zh: 'ARPU', en: 'ARPU' },
  { prefix: 'gross_adds_', dimension: 'channel_type', kind: 'count', zh: '新增', en: 'adds' },
  { prefix: 'active_outlets_', dimension: 'channel_type', kind: 'count', zh: '网点数', en: 'outlets' },
  { prefix: 'adds_per_outlet_', dimension: 'channel_type', kind: 'decimal', zh: '店均新增', en: 'adds per outlet' },
  { prefix: 'complaints_', dimension: 'category', kind: 'count', zh: '投诉', en: 'complaints' },
];

/** Metadata for any key, including the per-service/channel/category families of kpis.md. */
export function kpiMeta(key: string): KpiMeta {
  const known = KPIS.find((k) => k.key === key);
  if (known) return known;
  const play = /^customers_(\d)_play$/.exec(key);
  if (play) return meta(key, 'count', `${play[1]}产品客户`, `${play[1]}-play customers`, null);
  for (const f of FAMILIES) {
    const code = key.slice(f.prefix.length);
    if (key.startsWith(f.prefix) && enumCodes(f.dimension).includes(code)) {
      const better = f.dimension === 'category' ? 'down' : null;
      return meta(key, f.kind, enumLabel(f.dimension, code, 'zh') + f.zh, `${enumLabel(f.dimension, code, 'en')} ${f.en}`, better);
    }
  }
  return meta(key, 'count', key, key, null);
}

export function kpiLabel(key: string, lang: Lang): string {
  return lang === 'zh' ? kpiMeta(key).zh : kpiMeta(key).en;
}

/** Units shown under a tile's value, where the number alone would be ambiguous. */
export function kpiUnit(key: string, lang: Lang): string {
  const m = kpiMeta(key);
  if (m.kind === 'per10k') return lang === 'zh' ? '件/万户' : 'per 10k subs';
  if (m.kind === 'hours') return lang === 'zh' ? '小时' : 'hours';
  if (key === 'arpu') return lang === 'zh' ? '元/户·月' : 'per sub · month';
  return '';
}
