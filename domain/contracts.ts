// The extract contracts (version 2) as data: ingest builds its validation SQL from them, the
// demo-data generator writes its headers from them, the raw tables follow them, and docs/extracts.md
// is generated from them (npm run docs). One place to change when a contract changes.

export type Kind = 'subscriber' | 'channel' | 'complaint' | 'revenue' | 'target';
export const KINDS: readonly Kind[] = ['subscriber', 'channel', 'complaint', 'revenue', 'target'];

/** The kinds the KPIs are computed from (a `target` file holds goals, not data): what can be missing. */
export type DataKind = Exclude<Kind, 'target'>;
export const DATA_KINDS: readonly DataKind[] = ['subscriber', 'channel', 'complaint', 'revenue'];

/**
 * `period`: a month `YYYY-MM`/`YYYYMM` or a year `YYYY`, kept as written in its normal form
 * ('2026-09' or '2026'); `kpi`: a key of the KPI catalogue or its Chinese label, kept as the key;
 * `decimal`: a number, or a percentage `2%` kept as its fraction 0.02.
 */
export type ColumnType = 'month' | 'text' | 'enum' | 'date' | 'timestamp' | 'money' | 'bool' | 'integer' | 'period' | 'kpi' | 'decimal';

export interface EnumValue {
  code: string;
  label: string;
}

export interface ColumnContract {
  name: string;
  alias: string;
  type: ColumnType;
  required: boolean;
  values?: readonly EnumValue[];
}

export interface KindContract {
  kind: Kind;
  columns: readonly ColumnContract[];
  /** Columns whose combination must be unique (within the file and in the warehouse). */
  key: readonly string[];
  /** The column that gives a row's period (complaints: the month of received_at). */
  periodFrom: string;
}

export const SERVICES: readonly EnumValue[] = [
  { code: 'mobile', label: '移动' },
  { code: 'fixed_voice', label: '固话' },
  { code: 'broadband', label: '宽带' },
  { code: 'iptv', label: 'IPTV' },
];

export const SEGMENTS: readonly EnumValue[] = [
  { code: 'personal', label: '个人' },
  { code: 'household', label: '家庭' },
  { code: 'enterprise', label: '政企' },
];

export const CHANNEL_TYPES: readonly EnumValue[] = [
  { code: 'self_run_hall', label: '自办营业厅' },
  { code: 'partner_full', label: '一类社会渠道' },
  { code: 'partner_store', label: '二类社会渠道' },
  { code: 'service_point', label: '三类社会渠道' },
  { code: 'online', label: '网上营业厅' },
  { code: 'hotline', label: '10000号' },
  { code: 'account_manager', label: '政企客户经理' },
];

export const SOCIAL_CHANNEL_TYPES = ['partner_full', 'partner_store', 'service_point'] as const;

export const COMPLAINT_CATEGORIES: readonly EnumValue[] = [
  { code: 'billing', label: '计费' },
  { code: 'network', label: '网络质量' },
  { code: 'service_attitude', label: '服务态度' },
  { code: 'product', label: '产品套餐' },
  { code: 'installation', label: '装维' },
  { code: 'other', label: '其他' },
];

export const COMPLAINT_SOURCES: readonly EnumValue[] = [
  { code: 'hotline', label: '10000号' },
  { code: 'hall', label: '营业厅' },
  { code: 'online', label: '网上' },
  { code: 'media', label: '媒体' },
  { code: 'regulator', label: '工信部/通管局' },
  { code: 'upper_company', label: '省公司/集团' },
];

export const ESCALATED_SOURCES = ['media', 'regulator', 'upper_company'] as const;

export const SATISFACTION: readonly EnumValue[] = [
  { code: 'satisfied', label: '满意' },
  { code: 'neutral', label: '一般' },
  { code: 'dissatisfied', label: '不满意' },
];

export const REVENUE_ITEMS: readonly EnumValue[] = [
  { code: 'rental', label: '月租' },
  { code: 'voice', label: '语音' },
  { code: 'data', label: '流量' },
  { code: 'broadband_fee', label: '宽带费' },
  { code: 'iptv_fee', label: 'IPTV费' },
  { code: 'value_added', label: '增值' },
  { code: 'other', label: '其他' },
];

const col = (
  name: string,
  alias: string,
  type: ColumnType,
  required: boolean,
  values?: readonly EnumValue[],
): ColumnContract => (values ? { name, alias, type, required, values } : { name, alias, type, required });

export const CONTRACTS: Record<Kind, KindContract> = {
  subscriber: {
    kind: 'subscriber',
    key: ['period', 'subscription_id'],
    periodFrom: 'period',
    columns: [
      col('period', '统计月份', 'month', true),
      col('subscription_id', '业务实例ID', 'text', true),
      col('customer_id', '客户ID', 'text', true),
      col('segment', '客户群', 'enum', true, SEGMENTS),
      col('region_code', '地市编码', 'text', true),
      col('service', '业务类型', 'enum', true, SERVICES),
      col('plan_code', '套餐编码', 'text', false),
      col('bundle_id', '融合套餐ID', 'text', false),
      col('channel_id', '发展渠道', 'text', false),
      col('activated_on', '入网日期', 'date', true),
      col('terminated_on', '离网日期', 'date', false),
    ],
  },
  channel: {
    kind: 'channel',
    key: ['period', 'channel_id'],
    periodFrom: 'period',
    columns: [
      col('period', '统计月份', 'month', true),
      col('channel_id', '渠道编码', 'text', true),
      col('channel_name', '渠道名称', 'text', true),
      col('channel_type', '渠道类型', 'enum', true, CHANNEL_TYPES),
      col('region_code', '地市编码', 'text', true),
      col('exclusive', '是否排他', 'bool', false),
      col('opened_on', '开业日期', 'date', true),
      col('closed_on', '关闭日期', 'date', false),
      col('commission', '本月酬金', 'money', false),
    ],
  },
  complaint: {
    kind: 'complaint',
    key: ['complaint_id'],
    periodFrom: 'received_at',
    columns: [
      col('complaint_id', '投诉编号', 'text', true),
      col('received_at', '受理时间', 'timestamp', true),
      col('region_code', '地市编码', 'text', true),
      col('customer_id', '客户ID', 'text', false),
      col('service', '业务类型', 'enum', false, SERVICES),
      col('category', '投诉类别', 'enum', true, COMPLAINT_CATEGORIES),
      col('source', '投诉来源', 'enum', true, COMPLAINT_SOURCES),
      col('resolved_at', '办结时间', 'timestamp', false),
      col('sla_hours', '处理时限', 'integer', false),
      col('satisfaction', '满意度', 'enum', false, SATISFACTION),
      col('repeat_of', '重复投诉', 'text', false),
    ],
  },
  revenue: {
    kind: 'revenue',
    key: ['period', 'subscription_id', 'item'],
    periodFrom: 'period',
    columns: [
      col('period', '账期', 'month', true),
      col('subscription_id', '业务实例ID', 'text', true),
      col('customer_id', '客户ID', 'text', true),
      col('region_code', '地市编码', 'text', true),
      col('service', '业务类型', 'enum', true, SERVICES),
      col('item', '收入科目', 'enum', true, REVENUE_ITEMS),
      col('amount', '应收金额', 'money', true),
      col('discount', '优惠金额', 'money', false),
    ],
  },
  target: {
    kind: 'target',
    key: ['region_code', 'period', 'kpi'],
    periodFrom: 'period',
    columns: [
      col('region_code', '地市编码', 'text', true),
      col('period', '考核期', 'period', true),
      col('kpi', '指标', 'kpi', true),
      col('target', '目标值', 'decimal', true),
      col('weight', '权重', 'decimal', false),
    ],
  },
};

/** Whether a kind's region_code may be `ALL` (the province's own target) besides a code of the list. */
export function acceptsAllRegion(kind: Kind): boolean {
  return kind === 'target';
}

export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

/** The 11 prefecture-level cities of Zhejiang (GB/T 2260), the default region list. */
export const ZHEJIANG_CITIES: readonly { code: string; nameZh: string; nameEn: string }[] = [
  { code: '330100', nameZh: '杭州市', nameEn: 'Hangzhou' },
  { code: '330200', nameZh: '宁波市', nameEn: 'Ningbo' },
  { code: '330300', nameZh: '温州市', nameEn: 'Wenzhou' },
  { code: '330400', nameZh: '嘉兴市', nameEn: 'Jiaxing' },
  { code: '330500', nameZh: '湖州市', nameEn: 'Huzhou' },
  { code: '330600', nameZh: '绍兴市', nameEn: 'Shaoxing' },
  { code: '330700', nameZh: '金华市', nameEn: 'Jinhua' },
  { code: '330800', nameZh: '衢州市', nameEn: 'Quzhou' },
  { code: '330900', nameZh: '舟山市', nameEn: 'Zhoushan' },
  { code: '331000', nameZh: '台州市', nameEn: 'Taizhou' },
  { code: '331100', nameZh: '丽水市', nameEn: 'Lishui' },
];
