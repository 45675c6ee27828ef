// The alert API as the dashboard uses it (server/routes/alerts.ts): the firing alerts a banner shows,
// acknowledging one, and the admin page's rules and alert list with its delivery log.
import type { AlertRule, AlertRuleInput } from '../../domain/alerts.ts';
import { getJson, postJson, request } from './api.ts';
import type { AlertEvent, AlertItem } from './types.ts';

export const alertsApi = {
  async list(params: { status?: 'firing' | 'resolved'; limit?: number } = {}): Promise<AlertItem[]> {
    const q = new URLSearchParams();
    if (params.status) q.set('status', params.status);
    if (params.limit) q.set('limit', String(params.limit));
    const s = q.toString();
    return (await getJson<{ alerts: AlertItem[] }>(`/api/alerts${s ? `?${s}` : ''}`)).alerts;
  },
  async ack(id: number): Promise<AlertEvent> {
    return (await postJson<{ alert: AlertEvent }>(`/api/alerts/${id}/ack`, {})).alert;
  },
  async rules(): Promise<AlertRule[]> {
    return (await getJson<{ rules: AlertRule[] }>('/api/alerts/rules')).rules;
  },
  addRule(rule: AlertRuleInput): Promise<AlertRule> {
    return postJson<AlertRule>('/api/alerts/rules', rule);
  },
  async removeRule(id: number): Promise<void> {
    await request(`/api/alerts/rules/${id}`, { method: 'DELETE' });
  },
  evaluate(): Promise<{ judged: number; fired: AlertEvent[]; resolved: AlertEvent[]; still_firing: number }> {
    return postJson('/api/alerts/evaluate', {});
  },
};

/** The alerts a banner for `region` shows: firing ones of that region, or of every region on the province's board. */
export function bannerAlerts(alerts: readonly AlertEvent[], region: string): AlertEvent[] {
  return alerts.filter((a) => a.status === 'firing' && (region === 'ALL' || a.region_code === region));
}

/** Applies an `alert` event to the list a banner holds: a firing one added (or replaced), a resolved one dropped. */
export function applyAlertEvent(alerts: readonly AlertEvent[], e: AlertEvent): AlertEvent[] {
  const rest = alerts.filter((a) => a.id !== e.id);
  return e.status === 'firing' ? [e, ...rest] : rest;
}
