// Alert rules (预警, targets.md "Alerts") as plain data and pure functions: what a rule is, how a rule
// sent by an admin is checked (errors in Chinese and English), and when a condition holds. The server
// evaluates and delivers (server/alerts.ts); the dashboard's rules page shows the same shapes.
// Browser-safe: no Node module.
import { isKpiKey } from './kpi-catalogue.ts';
import { isRegionCode } from './region-code.ts';
import { AMBER_FROM } from './targets.ts';

export const ALERT_OPS = ['>', '>=', '<', '<='] as const;
export type AlertOp = (typeof ALERT_OPS)[number];

export type AlertCondition = { op: AlertOp; value: number } | { change_pct: number } | { status: 'red' };

export const DELIVERY_FORMATS = ['json', 'wecom', 'dingtalk'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

export interface AlertDelivery {
  url: string;
  format: DeliveryFormat;
}

/** `ALL` (the province's own figure), one region code, or `each`: every region of the list separately. */
export type AlertScope = string;

export interface AlertRuleInput {
  name: string;
  kpi: string;
  scope: AlertScope;
  condition: AlertCondition;
  deliveries: AlertDelivery[];
}

export interface AlertRule extends AlertRuleInput {
  id: number;
  created_by: string;
  created_at: string;
}

export type AlertStatus = 'firing' | 'resolved';

/** At most this many webhooks per rule, and this long a URL. */
export const MAX_DELIVERIES = 10;
const MAX_URL = 2048;
const MAX_NAME = 200;

export class RuleError extends Error {}

function fail(en: string, zh: string): never {
  throw new RuleError(`${en} / ${zh}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An http(s) URL without credentials; anything else (file:, javascript:, a bare name) is refused. */
export function checkWebhookUrl(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${at}: url must be an http or https URL`, `${at}：url 须为 http 或 https 地址`);
  const text = value.trim();
  if (text.length > MAX_URL) fail(`${at}: url is longer than ${MAX_URL} characters`, `${at}：url 超过 ${MAX_URL} 个字符`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(`${at}: url ${JSON.stringify(text)} is not a valid URL`, `${at}：url ${JSON.stringify(text)} 不是有效地址`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`${at}: url must use http or https, not ${url.protocol.replace(':', '')}`, `${at}：url 只能使用 http 或 https 协议，不能是 ${url.protocol.replace(':', '')}`);
  }
  if (url.username || url.password) fail(`${at}: url must not carry a user name or password`, `${at}：url 不能包含用户名或密码`);
  return url.toString();
}

/** The condition of a rule, exactly one of the three forms. */
export function checkCondition(value: unknown): AlertCondition {
  const forms = 'expected {"op": ">"|">="|"<"|"<=", "value": number}, {"change_pct": number} or {"status": "red"}';
  const formsZh = '应为 {"op","value"}、{"change_pct"} 或 {"status":"red"} 之一';
  if (!isObject(value)) fail(`condition: ${forms}`, `条件无效：${formsZh}`);
  const keys = Object.keys(value).sort().join(',');
  if (keys === 'op,value') {
    if (!(ALERT_OPS as readonly unknown[]).includes(value.op)) fail(`condition: op must be one of ${ALERT_OPS.join(' ')}, got ${JSON.stringify(value.op)}`, `条件无效：op 须为 ${ALERT_OPS.join(' ')} 之一`);
    if (typeof value.value !== 'number' || !Number.isFinite(value.value)) fail('condition: value must be a number', '条件无效：value 须为数字');
    return { op: value.op as AlertOp, value: value.value };
  }
  if (keys === 'change_pct') {
    if (typeof value.change_pct !== 'number' || !Number.isFinite(value.change_pct) || value.change_pct <= 0) {
      fail('condition: change_pct must be a number above 0 (0.5 = a change of 50%)', '条件无效：change_pct 须为大于 0 的数（0.5 即变化 50%）');
    }
    return { change_pct: value.change_pct };
  }
  if (keys === 'status') {
    if (value.status !== 'red') fail(`condition: status must be "red", got ${JSON.stringify(value.status)}`, '条件无效：status 只能是 "red"');
    return { status: 'red' };
  }
  fail(`condition: ${forms}, got keys ${keys || '(none)'}`, `条件无效：${formsZh}`);
}

/**
 * Checks a rule as POST /api/alerts/rules receives it; `regions` are the codes of the region list.
 * Throws RuleError with a message in English and Chinese naming the field.
 */
export function checkRule(body: unknown, regions: ReadonlySet<string>): AlertRuleInput {
  if (!isObject(body)) fail('expected a JSON object {"name","kpi","scope","condition","deliveries"}', '请求体应为 {"name","kpi","scope","condition","deliveries"}');
  const known = ['name', 'kpi', 'scope', 'condition', 'deliveries'];
  for (const k of Object.keys(body)) if (!known.includes(k)) fail(`unknown field ${JSON.stringify(k)} (expected ${known.join(', ')})`, `未知字段 ${JSON.stringify(k)}`);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) fail('name: a rule needs a name', 'name：规则须有名称');
  if (name.length > MAX_NAME) fail(`name: at most ${MAX_NAME} characters`, `name：最多 ${MAX_NAME} 个字符`);
  if (typeof body.kpi !== 'string' || !isKpiKey(body.kpi)) {
    fail(`kpi: unknown KPI key ${JSON.stringify(body.kpi)} (GET /api/kpis/keys lists them)`, `kpi：未知指标 ${JSON.stringify(body.kpi)}`);
  }
  const scope = body.scope;
  if (typeof scope !== 'string' || !(scope === 'ALL' || scope === 'each' || (isRegionCode(scope) && regions.has(scope)))) {
    fail(`scope: must be ALL, each or a region code of the region list, got ${JSON.stringify(scope)}`, `scope：须为 ALL、each 或地市列表中的地市编码，收到 ${JSON.stringify(scope)}`);
  }
  const condition = checkCondition(body.condition);
  const list = body.deliveries ?? [];
  if (!Array.isArray(list)) fail('deliveries: expected a list [{"url","format"}]', 'deliveries：应为列表 [{"url","format"}]');
  if (list.length > MAX_DELIVERIES) fail(`deliveries: at most ${MAX_DELIVERIES} webhooks`, `deliveries：最多 ${MAX_DELIVERIES} 个推送地址`);
  const deliveries = list.map((d: unknown, i): AlertDelivery => {
    const at = `deliveries[${i}]`;
    if (!isObject(d)) fail(`${at}: expected {"url","format"}`, `${at}：应为 {"url","format"}`);
    const format = d.format ?? 'json';
    if (!(DELIVERY_FORMATS as readonly unknown[]).includes(format)) {
      fail(`${at}: format must be one of ${DELIVERY_FORMATS.join(', ')}, got ${JSON.stringify(format)}`, `${at}：format 须为 ${DELIVERY_FORMATS.join('、')} 之一`);
    }
    return { url: checkWebhookUrl(d.url, at), format: format as DeliveryFormat };
  });
  return { name, kpi: body.kpi, scope, condition, deliveries };
}

/** Whether `value` passes `op threshold`; a missing figure (null) never does. */
export function compare(value: number | null, op: AlertOp, threshold: number): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** a(p) / a(p−1) − 1; null when either month is missing or the previous one is 0. */
export function monthOnMonth(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  return current / previous - 1;
}

export interface Judged {
  holds: boolean;
  /** The figure the message quotes: the KPI's value, its change, or its attainment. */
  value: number | null;
  threshold: number | null;
}

/**
 * Whether a condition holds for one region and month. `current` and `previous` are the KPI's figures
 * of p and p−1, `attainment` and `status` its judgement against the target (queries/targets.ts), for
 * status red (attainment below AMBER_FROM, 0.9: targets.md). Null never fires: it is missing, not 0.
 */
export function judge(c: AlertCondition, figures: { current: number | null; previous: number | null; attainment?: number | null; status?: string | null }): Judged {
  if ('op' in c) return { holds: compare(figures.current, c.op, c.value), value: figures.current, threshold: c.value };
  if ('change_pct' in c) {
    const change = monthOnMonth(figures.current, figures.previous);
    return { holds: change !== null && Math.abs(change) >= c.change_pct, value: change, threshold: c.change_pct };
  }
  return { holds: figures.status === 'red', value: figures.attainment ?? null, threshold: AMBER_FROM };
}
