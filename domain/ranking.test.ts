import { describe, expect, it } from 'vitest';
import { isNotReported, missingSources } from './missing.ts';
import { rankByDirection } from './ranking.ts';

const cities = [
  { code: 'a', v: 0.02 as number | null },
  { code: 'b', v: 0.01 },
  { code: 'c', v: null },
  { code: 'd', v: 0.02 },
  { code: 'e', v: 0.03 },
];
const ranks = (direction: 'higher' | 'lower' | 'none') =>
  rankByDirection(cities, (c) => c.v, direction).map((r) => `${r.item.code}${r.rank ?? '-'}`).join(' ');

describe('rankByDirection', () => {
  it('ranks the lowest first for a lower-is-better KPI, ties sharing the smaller rank, nulls last', () => {
    expect(ranks('lower')).toBe('b1 a2 d2 e4 c-');
  });
  it('ranks the highest first for a higher-is-better KPI', () => {
    expect(ranks('higher')).toBe('e1 a2 d2 b4 c-');
  });
  it('does not rank a KPI without a direction', () => {
    expect(ranks('none')).toBe('a- b- c- d- e-');
  });
});

describe('missing extracts', () => {
  const missing = { complaint: ['330300'] };
  it('makes a figure of a missing kind not reported for that region only', () => {
    expect(missingSources('complaints_per_10k', '330300', missing, 11)).toEqual(['complaint']);
    expect(isNotReported('escalated_complaints', null, '330300', missing, 11)).toBe(true);
    expect(isNotReported('escalated_complaints', null, '330100', missing, 11)).toBe(false);
    expect(isNotReported('active_subscriptions', null, '330300', missing, 11)).toBe(false);
    expect(isNotReported('escalated_complaints', 0, '330300', missing, 11)).toBe(false);
  });
  it('makes a province figure not reported only when no region has the kind', () => {
    expect(isNotReported('complaints', null, 'ALL', missing, 11)).toBe(false);
    const all = { complaint: Array.from({ length: 11 }, (_, i) => String(330100 + i * 100)) };
    expect(isNotReported('complaints', null, 'ALL', all, 11)).toBe(true);
  });
});
