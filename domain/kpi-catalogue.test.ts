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

  it('holds the keys version 2 added, judged as kpis.md judges them', () => {
    const lower = ['complaints_mobile', 'complaints_iptv', 'open_complaints', 'overdue_open_complaints', 'regulator_complaints_per_million',
      'commission_revenue_ratio', 'commission_per_add_exclusive', 'commission_per_add_shared', 'zero_revenue_share'];
    const higher = ['exclusive_outlets', 'adds_per_outlet_exclusive', 'adds_per_outlet_shared'];
    for (const key of lower) expect(kpiDefinition(key)?.direction, key).toBe('lower');
    for (const key of higher) expect(kpiDefinition(key)?.direction, key).toBe('higher');
    // kpis.md names churn_rate* lower; churned counts the same loss
    expect(kpiDefinition('churned')?.direction).toBe('lower');
    expect(kpiDefinition('complaints_broadband')).toMatchObject({ additive: true, sources: ['complaint'] });
    expect(kpiDefinition('regulator_complaints_per_million')).toMatchObject({ unit: 'per_million', sources: ['complaint', 'subscriber'] });
    expect(kpiDefinition('commission_revenue_ratio')?.sources).toEqual(['channel', 'revenue']);
    expect(kpiDefinition('zero_revenue_share')?.sources).toEqual(['revenue', 'subscriber']);
    expect(kpiDefinition('converged_adds_share')?.sources).toEqual(['subscriber']);
  });

  it("speaks a Chinese operator's words", () => {
    const zh = (key: string) => kpiDefinition(key)?.label_zh;
    expect([zh('active_subscriptions'), zh('gross_adds'), zh('churned'), zh('net_adds')]).toEqual(['到达用户数', '新增用户', '离网用户', '净增用户']);
    expect([zh('revenue'), zh('gross_amount'), zh('sla_met_rate'), zh('satisfaction_rate')]).toEqual(['出账收入', '优惠前收入', '投诉处理及时率', '投诉处理满意率']);
    expect([zh('escalated_complaints'), zh('commission_per_add'), zh('commission_revenue_ratio')]).toEqual(['越级投诉量', '社会渠道单户酬金', '酬金占收比']);
    expect([zh('overdue_open_complaints'), zh('regulator_complaints_per_million')]).toEqual(['超时未办结投诉', '百万用户申诉率']);
    expect(zh('churn_rate_standalone')).toContain('非融合');
    expect(zh('arpa_standalone')).toContain('非融合');
    expect(KPI_CATALOGUE.filter((d) => d.label_zh.includes('单产品'))).toEqual([]);
    expect(zh('vanished_subscriptions')).toContain('数据质量');
    // ARPU is per subscription (用户), ARPA per customer (户)
    expect(kpiDefinition('arpu')?.display_unit?.zh).toBe('元/用户·月');
    expect(kpiDefinition('arpu_mobile')?.display_unit?.zh).toBe('元/用户·月');
    expect(kpiDefinition('arpa')?.display_unit?.zh).toBe('元/户·月');
    expect(kpiDefinition('arpa_converged')?.display_unit?.zh).toBe('元/户·月');
  });

  it('answers look-ups by key', () => {
    expect(isKpiKey('arpu_iptv')).toBe(true);
    expect(isKpiKey('arpu_satellite')).toBe(false);
    expect(kpiDefinition('nope')).toBeUndefined();
    expect(SEGMENT_KPI_KEYS.every((k) => kpiDefinition(k)?.by_segment)).toBe(true);
    expect(kpiDefinition('complaints_per_10k')?.display_unit).toEqual({ zh: '件/万户', en: 'per 10k subs' });
  });
});
