import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../domain/targets.ts';
import { monthlyTarget, rankText, scoreText, targetLine } from './targets.ts';

const base: TargetRow = {
  kpi: 'churn_rate',
  target: 0.02,
  target_period: '2026',
  actual: 0.015,
  ytd: null,
  months_covered: null,
  time_progress: null,
  completion: null,
  gap: null,
  attainment: 1.25,
  status: 'green',
  weight: 1,
};

describe('targetLine', () => {
  it('says a month’s figure against its target: the target and the attainment', () => {
    // Churn target 2% met at 1.5%: (2 × 0.02 − 0.015) / 0.02 = 125%.
    expect(targetLine(base, 'zh')).toEqual({ status: 'green', text: '目标 2.0% · 完成率 125.0%', title: '目标 2.0% · 完成率 125.0% — 完成率 125.0%, 达标' });
    expect(targetLine({ ...base, attainment: 0.75, status: 'red', actual: 0.025 }, 'en').text).toBe('Target 2.0% · attainment 75.0%');
  });

  it('says a year’s total against the year to date: completion and time progress', () => {
    // Revenue: ¥1.2 亿 for 2026; by September ¥0.7 亿 done = 58.3% of the year, 9/12 = 75% of the time.
    const row: TargetRow = { ...base, kpi: 'revenue', target: 120_000_000, ytd: 70_000_000, months_covered: 9, time_progress: 0.75, completion: 0.5833333333, gap: -0.1666666667, attainment: 0.7777777778, status: 'red' };
    expect(targetLine(row, 'zh').text).toBe('年目标 ¥1.20亿 · 完成 58.3% · 时序 75.0%');
    expect(targetLine(row, 'en').text).toBe('Year target ¥120M · done 58.3% · time 75.0%');
  });

  it('says a target it cannot judge as such, never as 0%', () => {
    const row = { ...base, actual: null, attainment: null, status: 'none' as const };
    expect(targetLine(row, 'zh').text).toBe('目标 2.0% · 完成率 —');
    expect(targetLine(row, 'zh').title).toContain('无法评价');
  });
});

describe('monthlyTarget', () => {
  it('is the target itself, or a twelfth of a year’s total', () => {
    expect(monthlyTarget(base)).toBe(0.02);
    expect(monthlyTarget({ ...base, kpi: 'revenue', target: 120, ytd: 70, time_progress: 0.75 })).toBe(10);
  });
});

describe('rankText and scoreText', () => {
  it('reads a rank as 第 3 / 11 名, and no rank as nothing', () => {
    expect(rankText(3, 11, 'zh')).toBe('第 3 / 11 名');
    expect(rankText(3, 11, 'en')).toBe('rank 3 of 11');
    expect(rankText(null, 11, 'zh')).toBeNull();
    expect(scoreText(87.456, 'zh')).toBe('87.5');
    expect(scoreText(null, 'en')).toContain('nothing to judge');
  });
});
