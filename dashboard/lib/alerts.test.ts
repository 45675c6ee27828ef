import { describe, expect, it } from 'vitest';
import { applyAlertEvent, bannerAlerts } from './alerts.ts';
import type { AlertEvent } from './types.ts';

const alert = (id: number, region_code: string, status: 'firing' | 'resolved' = 'firing'): AlertEvent => ({
  id, rule: 'r', kpi: 'escalated_complaints', region_code, period: '2026-09', value: 1, threshold: 0, status,
  fired_at: '2026-10-01 09:00:00', resolved_at: null, acked_by: null, message_zh: `zh ${id}`, message_en: `en ${id}`,
});

describe('the alert banner', () => {
  it('shows the firing alerts of its region, every region on the province board', () => {
    const list = [alert(1, '330300'), alert(2, '330100'), alert(3, 'ALL'), alert(4, '330300', 'resolved')];
    expect(bannerAlerts(list, '330300').map((a) => a.id)).toEqual([1]);
    expect(bannerAlerts(list, 'ALL').map((a) => a.id)).toEqual([1, 2, 3]);
  });

  it('adds a fired alert first and drops a resolved one', () => {
    let list = [alert(1, '330300')];
    list = applyAlertEvent(list, alert(2, '330300'));
    expect(list.map((a) => a.id)).toEqual([2, 1]);
    list = applyAlertEvent(list, alert(1, '330300', 'resolved'));
    expect(list.map((a) => a.id)).toEqual([2]);
  });
});
