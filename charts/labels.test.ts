import { describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../queries/kpi-keys.ts';
import type { ValueKind } from './format.ts';
import { kpiLabel, kpiMeta, regionName } from './labels.ts';

const KIND: Record<string, ValueKind> = { count: 'count', ratio: 'ratio', money: 'money', per_10k: 'per10k', hours: 'hours', average: 'decimal' };

describe('kpiMeta', () => {
  it('reads every key of the KPI catalogue with its unit and segment scope', () => {
    for (const d of KPI_DEFINITIONS) {
      const m = kpiMeta(d.key);
      expect(m.kind, d.key).toBe(KIND[d.unit]);
      // The segment filter shows a figure per segment exactly when the catalogue has it per segment.
      expect(m.bySegment, d.key).toBe(d.by_segment);
      expect(kpiLabel(d.key, 'en'), d.key).not.toBe(d.key);
    }
  });

  it('names the headline KPIs in both languages', () => {
    expect(kpiLabel('convergence_rate', 'zh')).toBe('融合渗透率');
    expect(kpiLabel('convergence_rate', 'en')).toBe('Convergence rate');
    expect(kpiLabel('complaints_per_10k', 'zh')).toBe('万户投诉率');
  });
});

describe('regionName', () => {
  it('names the province and the cities in both languages', () => {
    expect(regionName('ALL', 'zh')).toBe('全省');
    expect(regionName('330300', 'zh')).toBe('温州市');
    expect(regionName('330300', 'en')).toBe('Wenzhou');
    expect(regionName('999999', 'en')).toBe('999999');
  });
});
