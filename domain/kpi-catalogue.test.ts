import { describe, expect, it } from 'vitest';
import { KINDS } from './contracts.ts';
import { KPI_CATALOGUE, KPI_DIRECTIONS, KPI_GROUPS, KPI_KEYS, KPI_UNITS, SEGMENT_KPI_KEYS, isKpiKey, kpiDefinition } from './kpi-catalogue.ts';

describe('KPI_CATALOGUE', () => {
  it('names every key once, in snake case', () => {
    expect(new Set(KPI_KEYS).size).toBe(KPI_CATALOGUE.length);
    for (const key of KPI_KEYS) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('holds only known groups, units, directions and source kinds', () => {
    for (const d of KPI_CATALOGUE) {
      expect(KPI_GROUPS, d.key).toContain(d.group);
      expect(KPI_UNITS, d.key).toContain(d.unit);
      expect(KPI_DIRECTIONS, d.key).toContain(d.direction);
      expect(d.sources.length, d.key).toBeGreaterThan(0);
      expect(new Set(d.sources).size, d.key).toBe(d.sources.length);
      for (const kind of d.sources) expect(KINDS, d.key).toContain(kind);
    }
  });

  it('labels and defines every key in both languages', () => {
    for (const d of KPI_CATALOGUE) {
      expect(d.label_zh, d.key).not.toBe('');
      expect(d.label_en, d.key).not.toBe(d.key);
      expect(d.definition, d.key).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('keeps each group together, in the order of KPI_GROUPS', () => {
    const order = KPI_CATALOGUE.map((d) => d.group).filter((g, i, all) => g !== all[i - 1]);
    expect(order).toEqual(KPI_GROUPS);
  });

  it('never sums a ratio, an average or a money-per-head figure over months', () => {
    for (const d of KPI_CATALOGUE.filter((x) => x.additive)) expect(['count', 'money'], d.key).toContain(d.unit);
    expect(kpiDefinition('arpu')?.additive).toBe(false);
    expect(kpiDefinition('revenue_iptv')?.additive).toBe(true);
  });

  it('judges the figures as kpis.md version 2 does', () => {
    expect(kpiDefinition('churn_rate_converged')?.direction).toBe('lower');
    expect(kpiDefinition('complaints_network')?.direction).toBe('lower');
    expect(kpiDefinition('customers_2_play')?.direction).toBe('none');
    expect(kpiDefinition('commission_total')?.direction).toBe('none');
    expect(kpiDefinition('convergence_rate')?.direction).toBe('higher');
    expect(kpiDefinition('complaints_per_10k')?.sources).toEqual(['complaint', 'subscriber']);
    expect(kpiDefinition('arpu')?.sources).toEqual(['revenue', 'subscriber']);
  });

  it('answers look-ups by key', () => {
    expect(isKpiKey('arpu_iptv')).toBe(true);
    expect(isKpiKey('arpu_satellite')).toBe(false);
    expect(kpiDefinition('nope')).toBeUndefined();
    expect(SEGMENT_KPI_KEYS.every((k) => kpiDefinition(k)?.by_segment)).toBe(true);
    expect(kpiDefinition('complaints_per_10k')?.display_unit).toEqual({ zh: '件/万户', en: 'per 10k subs' });
  });
});
