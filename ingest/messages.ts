// Human messages for reject reasons, in Chinese and English. `{value}` is replaced by the cell.
import type { ColumnContract, KindContract } from '../domain/contracts.ts';
import { CONTRACTS, type Kind } from '../domain/contracts.ts';

export const REASONS = [
  'required',
  'bad_enum',
  'bad_date',
  'bad_number',
  'bad_bool',
  'bad_value',
  'date_order',
  'unknown_region',
  'duplicate_key',
] as const;
export type Reason = (typeof REASONS)[number];

const TYPE_HINT: Record<ColumnContract['type'], string> = {
  text: 'text / 文本',
  enum: 'a listed value / 列举值',
  month: 'a month YYYY-MM or YYYYMM / 月份',
  date: 'a date YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD / 日期',
  timestamp: 'a date and time YYYY-MM-DD HH:MM[:SS] / 日期时间',
  money: 'an amount in yuan with at most 2 decimals / 金额(元,最多两位小数)',
  bool: '1/0, true/false, Y/N, yes/no, 是/否',
  integer: 'a whole number / 整数',
  period: 'a month YYYY-MM or YYYYMM, or a year YYYY / 月份或年份',
  kpi: 'a KPI key of docs/kpis.md or its Chinese label / 指标编码或中文名称',
  decimal: 'a number with at most 6 decimals, or a percentage such as 2% / 数值(最多6位小数)或百分数',
};

const VALUE_RULES: Record<string, string> = {
  'channel.exclusive': 'only social channels (一类/二类/三类社会渠道) can be exclusive / 非社会渠道不能为排他',
  'channel.commission': 'commission must be ≥ 0, and 0 for self-run halls / 酬金须 ≥ 0,自办营业厅为 0',
  'complaint.sla_hours': 'the time limit must be a positive number of hours / 处理时限须为正数',
  'revenue.discount': 'a discount must be ≥ 0 / 优惠金额须 ≥ 0',
  'target.weight': 'a weight must be ≥ 0 / 权重须 ≥ 0',
};

const DATE_ORDER: Record<string, string> = {
  'subscriber.terminated_on': 'terminated before activated / 离网日期早于入网日期',
  'channel.closed_on': 'closed before opened / 关闭日期早于开业日期',
  'complaint.resolved_at': 'resolved before received / 办结时间早于受理时间',
};

export function rejectMessage(kind: Kind, column: string, reason: string): string {
  const contract: KindContract = CONTRACTS[kind];
  const c = contract.columns.find((x) => x.name === column);
  const label = c ? `${c.name} (${c.alias})` : column;
  switch (reason) {
    case 'required':
      return `${label} is required but empty / 必填项为空`;
    case 'bad_enum': {
      if (c?.type === 'kpi') return `'{value}' is not a KPI of the catalogue: ${label} takes a key of docs/kpis.md (e.g. churn_rate) or its Chinese label (离网率) / 不是指标目录中的指标`;
      const allowed = (c?.values ?? []).map((x) => `${x.code} ${x.label}`).join(', ');
      return `'{value}' is not a valid ${label}; allowed: ${allowed} / 不是有效的取值`;
    }
    case 'bad_date':
    case 'bad_number':
    case 'bad_bool':
      return `'{value}' in ${label} is not ${c ? TYPE_HINT[c.type] : 'valid'} / 格式错误`;
    case 'bad_value':
      return `'{value}' in ${label}: ${VALUE_RULES[`${kind}.${column}`] ?? 'value out of range / 取值超出范围'}`;
    case 'date_order':
      return `${label} '{value}': ${DATE_ORDER[`${kind}.${column}`] ?? 'dates out of order / 日期先后顺序错误'}`;
    case 'unknown_region':
      if (kind === 'target') return `'{value}' is neither a region in the warehouse's region list nor ALL (npm run regions -- add) / 地市编码不在地市列表中,也不是 ALL`;
      return `'{value}' is not a region in the warehouse's region list (npm run regions -- add) / 地市编码不在地市列表中`;
    case 'duplicate_key':
      return `key '{value}' repeats {detail} / 主键重复`;
    default:
      return `${label}: ${reason}`;
  }
}
