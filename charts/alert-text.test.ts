import { describe, expect, it } from 'vitest';
import { alertMessage, figureText } from './alert-text.ts';

const base = { kpi: 'escalated_complaints', period: '2026-09', status: 'firing' as const, condition: { op: '>' as const, value: 0 }, value: 3, threshold: 0 };

describe('alert messages', () => {
  it('read as the operator writes them, in Chinese and English', () => {
    expect(alertMessage({ ...base, regionName: '温州市' }, 'zh')).toBe('【预警】温州市 2026年9月 越级投诉量 3 件，超过阈值 0 件');
    expect(alertMessage({ ...base, regionName: 'Wenzhou' }, 'en')).toBe('[Alert] Wenzhou Sep 2026: Escalated complaints 3, above the threshold of 0');
    expect(alertMessage({ ...base, status: 'resolved', value: 0, regionName: '温州市' }, 'zh')).toBe('【预警解除】温州市 2026年9月 越级投诉量 0 件，已不再超过阈值 0 件');
  });

  it('say a change in percent and a red status as attainment', () => {
    expect(alertMessage({ ...base, condition: { change_pct: 0.5 }, value: -0.6, threshold: 0.5, regionName: '全省' }, 'zh')).toBe('【预警】全省 2026年9月 越级投诉量 环比下降 60.0%，达到变动阈值 50.0%');
    expect(alertMessage({ ...base, kpi: 'churn_rate', condition: { status: 'red' }, value: 0.75, threshold: 0.9, regionName: 'Province' }, 'en')).toBe('[Alert] Province Sep 2026: Churn rate attainment 75.0%, below 90.0% (red)');
  });

  it('give figures their units; a missing one reads as —', () => {
    expect(figureText('churn_rate', 0.0234, 'zh')).toBe('2.3%');
    expect(figureText('arpu', 58.2, 'zh')).toBe('¥58.20 元/用户·月');
    expect(figureText('escalated_complaints', null, 'zh')).toBe('—');
  });
});
