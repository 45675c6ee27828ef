import { describe, expect, it } from 'vitest';
import { KPI_CATALOGUE, kpiDefinition } from '../domain/kpi-catalogue.ts';
import { bestFirst, isImprovement, kpiLabel, kpiMeta, kpiUnit, regionName } from './labels.ts';

describe('kpiMeta', () => {
  it('reads every key of the KPI catalogue with its unit and segment scope', () => {
    for (const d of KPI_CATALOGUE) {
      const m = kpiMeta(d.key);
      expect(m.kind, d.key).toBe(d.unit);
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

describe('judging a KPI by its direction', () => {
  it('calls a move good or bad only when it moved and the KPI has a good way', () => {
    expect(isImprovement('convergence_rate', 'up')).toBe(true);
    expect(isImprovement('churn_rate_converged', 'up')).toBe(false);
    expect(isImprovement('complaints_per_10k', 'down')).toBe(true);
    expect(isImprovement('sla_met_rate', 'flat')).toBeNull();
    expect(isImprovement('commission_total', 'up')).toBeNull();
    expect(isImprovement('not_a_key', 'up')).toBeNull();
  });

  it('sorts the best first: ascending for a lower-is-better KPI, else descending', () => {
    expect(bestFirst('complaints_per_10k')).toBe('asc');
    expect(bestFirst('convergence_rate')).toBe('desc');
    expect(bestFirst('customers_2_play')).toBe('desc');
  });

  it('prints a unit only where the number alone is ambiguous', () => {
    expect(kpiUnit('complaints_per_10k', 'zh')).toBe('件/万户');
    expect(kpiUnit('mean_resolution_hours', 'en')).toBe('hours');
    // ARPU is money per something: the catalogue says per what.
    expect(kpiUnit('arpu', 'zh')).not.toBe('');
    expect(kpiUnit('arpu', 'zh')).toBe(kpiDefinition('arpu')!.display_unit!.zh);
    expect(kpiUnit('revenue', 'en')).toBe('');
    expect(kpiUnit('convergence_rate', 'zh')).toBe('');
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
