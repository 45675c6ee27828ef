// The alert tables (migrations/006_alerts.sql): rules, the alerts they fired, every webhook try. Plain
// storage; what holds and when to fire is decided by the server's alert service (server/alerts.ts).
import { listValue } from '@duckdb/node-api';
import type { AlertCondition, AlertDelivery, AlertRule, AlertRuleInput, AlertStatus } from '../domain/alerts.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from './db.ts';
import type { DuckDBValue } from '@duckdb/node-api';

export interface StoredAlert {
  id: number;
  rule_id: number;
  rule: string;
  kpi: string;
  region_code: string;
  period: string;
  value: number | null;
  threshold: number | null;
  status: AlertStatus;
  fired_at: string;
  resolved_at: string | null;
  acked_by: string | null;
  acked_at: string | null;
}

export interface DeliveryTry {
  alert_id: number;
  event: AlertStatus;
  url: string;
  format: string;
  try: number;
  at: string;
  status_code: number | null;
  error: string | null;
}

const TS = (col: string) => `strftime(${col}, '%Y-%m-%d %H:%M:%S') as ${col}`;

const ALERT_COLUMNS = `id, rule_id, rule_name as rule, kpi, region_code, strftime(period, '%Y-%m') as period,
  value::double as value, threshold::double as threshold, status, ${TS('fired_at')}, ${TS('resolved_at')}, acked_by, ${TS('acked_at')}`;

function toAlert(r: Record<string, unknown>): StoredAlert {
  return { ...(r as unknown as StoredAlert), id: Number(r.id), rule_id: Number(r.rule_id) };
}

function toRule(r: Record<string, unknown>): AlertRule {
  return {
    id: Number(r.id),
    name: String(r.name),
    kpi: String(r.kpi),
    scope: String(r.scope),
    condition: JSON.parse(String(r.condition)) as AlertCondition,
    deliveries: JSON.parse(String(r.deliveries)) as AlertDelivery[],
    created_by: String(r.created_by),
    created_at: String(r.created_at),
  };
}

const RULE_COLUMNS = `id, name, kpi, scope, condition::varchar as condition, deliveries::varchar as deliveries, created_by, ${TS('created_at')}`;

export async function addRule(wh: Warehouse, rule: AlertRuleInput, by: string, now: Date = new Date()): Promise<AlertRule> {
  const row = await wh.one<Record<string, unknown>>(
    `insert into alert_rules values (nextval('alert_rule_id_seq'), $name, $kpi, $scope, $condition::json, $deliveries::json, $by, $t::timestamp)
     returning ${RULE_COLUMNS}`,
    {
      name: rule.name,
      kpi: rule.kpi,
      scope: rule.scope,
      condition: JSON.stringify(rule.condition),
      deliveries: JSON.stringify(rule.deliveries),
      by,
      t: shanghaiTimestamp(now),
    },
  );
  return toRule(row!);
}

export async function listRules(wh: Warehouse): Promise<AlertRule[]> {
  return (await wh.all<Record<string, unknown>>(`select ${RULE_COLUMNS} from alert_rules order by id`)).map(toRule);
}

export async function getRule(wh: Warehouse, id: number): Promise<AlertRule | null> {
  const row = await wh.one<Record<string, unknown>>(`select ${RULE_COLUMNS} from alert_rules where id = $id`, { id });
  return row ? toRule(row) : null;
}

/**
 * Removes a rule; its alerts stay as history, and those still firing are resolved (no webhook: the
 * rule that would judge them is gone). Returns the alerts so resolved, or null when there was no rule.
 */
export async function removeRule(wh: Warehouse, id: number, now: Date = new Date()): Promise<StoredAlert[] | null> {
  return wh.transaction(async () => {
    const existing = await wh.one('select 1 as ok from alert_rules where id = $id', { id });
    if (!existing) return null;
    await wh.run('delete from alert_rules where id = $id', { id });
    const rows = await wh.all<Record<string, unknown>>(
      `update alerts set status = 'resolved', resolved_at = $t::timestamp where rule_id = $id and status = 'firing' returning ${ALERT_COLUMNS}`,
      { id, t: shanghaiTimestamp(now) },
    );
    return rows.map(toAlert);
  });
}

/** The alerts of the rules given that are firing now. */
export async function firingAlerts(wh: Warehouse): Promise<StoredAlert[]> {
  return (await wh.all<Record<string, unknown>>(`select ${ALERT_COLUMNS} from alerts where status = 'firing' order by id`)).map(toAlert);
}

export interface NewAlert {
  rule: AlertRule;
  region_code: string;
  period: string;
  value: number | null;
  threshold: number | null;
}

/** Fires the alerts given, in one statement; returns them stored, in the order given. */
export async function fireAlerts(wh: Warehouse, list: readonly NewAlert[], now: Date = new Date()): Promise<StoredAlert[]> {
  if (list.length === 0) return [];
  const params: Record<string, DuckDBValue> = { t: shanghaiTimestamp(now) };
  const rows = list.map((a, i) => {
    Object.assign(params, {
      [`r${i}`]: a.rule.id,
      [`n${i}`]: a.rule.name,
      [`k${i}`]: a.rule.kpi,
      [`g${i}`]: a.region_code,
      [`p${i}`]: `${a.period}-01`,
      [`v${i}`]: a.value,
      [`h${i}`]: a.threshold,
    });
    return `(${i}, $r${i}, $n${i}, $k${i}, $g${i}, $p${i}::date, $v${i}::double, $h${i}::double)`;
  });
  const stored = await wh.all<Record<string, unknown>>(
    `insert into alerts (id, rule_id, rule_name, kpi, region_code, period, value, threshold, status, fired_at)
     select nextval('alert_id_seq'), rule_id, rule_name, kpi, region_code, period, value, threshold, 'firing', $t::timestamp
     from (values ${rows.join(', ')}) as v(ord, rule_id, rule_name, kpi, region_code, period, value, threshold)
     order by ord
     returning ${ALERT_COLUMNS}`,
    params,
  );
  const key = (a: { rule_id: number; region_code: string; period: string }) => `${a.rule_id}|${a.region_code}|${a.period}`;
  const byKey = new Map(stored.map(toAlert).map((a) => [key(a), a]));
  return list.map((a) => byKey.get(key({ rule_id: a.rule.id, region_code: a.region_code, period: a.period }))!);
}

/** Resolves the alerts given that are still firing, in one statement. */
export async function resolveAlerts(wh: Warehouse, ids: readonly number[], now: Date = new Date()): Promise<StoredAlert[]> {
  if (ids.length === 0) return [];
  const rows = await wh.all<Record<string, unknown>>(
    `update alerts set status = 'resolved', resolved_at = $t::timestamp where list_contains($ids, id) and status = 'firing' returning ${ALERT_COLUMNS}`,
    { ids: listValue(ids.map((id) => BigInt(id))), t: shanghaiTimestamp(now) },
  );
  return rows.map(toAlert);
}

export async function getAlert(wh: Warehouse, id: number): Promise<StoredAlert | null> {
  const row = await wh.one<Record<string, unknown>>(`select ${ALERT_COLUMNS} from alerts where id = $id`, { id });
  return row ? toAlert(row) : null;
}

/** Records who acknowledged the alert and when (a later acknowledgement replaces an earlier one). */
export async function ackAlert(wh: Warehouse, id: number, by: string, now: Date = new Date()): Promise<StoredAlert | null> {
  const row = await wh.one<Record<string, unknown>>(
    `update alerts set acked_by = $by, acked_at = $t::timestamp where id = $id returning ${ALERT_COLUMNS}`,
    { id, by, t: shanghaiTimestamp(now) },
  );
  return row ? toAlert(row) : null;
}

/**
 * Alerts newest first, `region` null for every region, else that region's only; `status` to filter.
 */
export async function listAlerts(wh: Warehouse, opts: { region: string | null; status?: AlertStatus; limit: number }): Promise<StoredAlert[]> {
  const rows = await wh.all<Record<string, unknown>>(
    `select ${ALERT_COLUMNS} from alerts
     where ($region is null or region_code = $region) and ($status is null or status = $status)
     order by id desc limit $limit`,
    { region: opts.region, status: opts.status ?? null, limit: opts.limit },
  );
  return rows.map(toAlert);
}

export async function recordTry(wh: Warehouse, t: Omit<DeliveryTry, 'at'>, now: Date = new Date()): Promise<void> {
  await wh.run(`insert into alert_deliveries values ($alert, $event, $url, $format, $try, $at::timestamp, $code, $error)`, {
    alert: t.alert_id,
    event: t.event,
    url: t.url,
    format: t.format,
    try: t.try,
    at: shanghaiTimestamp(now),
    code: t.status_code,
    error: t.error,
  });
}

/** Every try of the alerts given, in the order they were made. */
export async function deliveryTries(wh: Warehouse, alertIds: readonly number[]): Promise<DeliveryTry[]> {
  if (alertIds.length === 0) return [];
  const rows = await wh.all<Record<string, unknown>>(
    `select alert_id, event, url, format, attempt as try, strftime(tried_at, '%Y-%m-%d %H:%M:%S') as at, status_code, error
     from alert_deliveries where list_contains($ids, alert_id) order by alert_id, event, url, attempt`,
    { ids: listValue(alertIds.map((id) => BigInt(id))) },
  );
  return rows.map((r) => ({ ...(r as unknown as DeliveryTry), alert_id: Number(r.alert_id), try: Number(r.try), status_code: r.status_code === null ? null : Number(r.status_code) }));
}
