import { describe, expect, it } from 'vitest';
import { parse, View } from 'vega';
import {
  compactNumber,
  formatChange,
  formatClock,
  formatFull,
  formatPeriod,
  formatPeriodShort,
  formatValue,
  periodExpr,
  valueExpr,
  type Lang,
} from './format.ts';
import { KPI_UNITS } from '../domain/kpi-catalogue.ts';

describe('formatValue', () => {
  it('writes Chinese numbers in 万 and 亿 with two decimals', () => {
    expect(formatValue(9876, 'count', 'zh')).toBe('9,876');
    expect(formatValue(12_345, 'count', 'zh')).toBe('1.23万');
    expect(formatValue(1_234_567, 'count', 'zh')).toBe('123.46万');
    expect(formatValue(234_567_890, 'count', 'zh')).toBe('2.35亿');
    expect(formatValue(-45_000, 'count', 'zh')).toBe('-4.50万');
  });

  it('writes English numbers in K, M and B with three significant figures', () => {
    expect(formatValue(987, 'count', 'en')).toBe('987');
    expect(formatValue(12_345, 'count', 'en')).toBe('12.3K');
    expect(formatValue(1_234_567, 'count', 'en')).toBe('1.23M');
    expect(formatValue(234_567_890, 'count', 'en')).toBe('235M');
    expect(formatValue(2_345_678_901, 'count', 'en')).toBe('2.35B');
  });

  it('puts ¥ before money and keeps fen below the first unit', () => {
    expect(formatValue(58.3, 'money', 'zh')).toBe('¥58.30');
    expect(formatValue(58.3, 'money', 'en')).toBe('¥58.30');
    expect(formatValue(123_456_789.5, 'money', 'zh')).toBe('¥1.23亿');
    expect(formatValue(8_765_432, 'money', 'en')).toBe('¥8.77M');
    expect(formatValue(-1500, 'money', 'en')).toBe('-¥1.50K');
  });

  it('shows ratios as percentages with one decimal in both languages', () => {
    expect(formatValue(0.12345, 'ratio', 'zh')).toBe('12.3%');
    expect(formatValue(0.12345, 'ratio', 'en')).toBe('12.3%');
    expect(formatValue(1, 'ratio', 'en')).toBe('100.0%');
  });

  it('reads a missing value or a zero denominator as a dash', () => {
    for (const kind of KPI_UNITS) {
      expect(formatValue(null, kind, 'zh')).toBe('—');
      expect(formatValue(undefined, kind, 'en')).toBe('—');
    }
  });

  it('keeps rates per 10k or per million and hours as plain decimals', () => {
    expect(formatValue(12.345, 'per_10k', 'zh')).toBe('12.35');
    expect(formatValue(3.456, 'per_million', 'en')).toBe('3.46');
    expect(formatValue(30.06, 'hours', 'en')).toBe('30.1');
  });
});

describe('formatFull', () => {
  it('groups thousands without compacting', () => {
    expect(formatFull(1_234_567, 'count')).toBe('1,234,567');
    expect(formatFull(1_234_567.891, 'money')).toBe('¥1,234,567.89');
    expect(formatFull(0.5, 'ratio')).toBe('50.0%');
    expect(compactNumber(999, 'zh')).toBe('999');
  });
});

describe('formatChange', () => {
  it('moves ratios in percentage points', () => {
    expect(formatChange(0.022, 0.02, 'ratio', 'zh')).toEqual({ text: '+0.2个百分点', direction: 'up' });
    expect(formatChange(0.02, 0.022, 'ratio', 'en')).toEqual({ text: '-0.2 pp', direction: 'down' });
  });

  it('moves everything else relatively, and says nothing without a base', () => {
    expect(formatChange(110, 100, 'count', 'en')).toEqual({ text: '+10.0%', direction: 'up' });
    expect(formatChange(100, 100, 'money', 'zh')).toEqual({ text: '±0.0%', direction: 'flat' });
    expect(formatChange(5, 0, 'count', 'zh')).toBeNull();
    expect(formatChange(5, null, 'count', 'zh')).toBeNull();
  });
});

describe('formatPeriod', () => {
  it('writes months as 2026年9月 and Sep 2026', () => {
    expect(formatPeriod('2026-09', 'zh')).toBe('2026年9月');
    expect(formatPeriod('2026-09', 'en')).toBe('Sep 2026');
    expect(formatPeriod('2026-12-01', 'en')).toBe('Dec 2026');
    expect(formatPeriodShort('2026-09', 'zh')).toBe('9月');
    expect(formatPeriodShort('2027-01', 'zh')).toBe('2027年1月');
    expect(formatPeriodShort('2026-09', 'en')).toBe('Sep');
  });

  it('tells the time in Shanghai whatever the machine zone', () => {
    expect(formatClock(new Date('2026-09-30T16:05:09Z'))).toBe('00:05:09');
  });
});

/** Evaluates vega expressions over values inside a real vega runtime. */
async function evaluate(expr: string, values: readonly unknown[]): Promise<string[]> {
  const view = new View(
    parse({
      data: [{ name: 'd', values: values.map((value) => ({ value })), transform: [{ type: 'formula', expr, as: 'out' }] }],
    }),
    { renderer: 'none' },
  );
  await view.runAsync();
  return (view.data('d') as { out: string }[]).map((r) => r.out);
}

describe('valueExpr', () => {
  const samples = [0, 7, 999, 9876, 12_345, 99_000, 1_234_567, 45_678_901, 234_567_890, 2_345_678_901, -45_000, 0.1234, 58.3, null];
  for (const lang of ['zh', 'en'] as Lang[]) {
    for (const kind of KPI_UNITS) {
      it(`formats ${kind} in ${lang} exactly as formatValue`, async () => {
        const values = kind === 'count' ? samples.map((v) => (v === null ? v : Math.round(v))) : samples;
        expect(await evaluate(valueExpr(kind, lang), values)).toEqual(values.map((v) => formatValue(v, kind, lang)));
      });
    }
    it(`formats periods in ${lang} as formatPeriod(Short)`, async () => {
      const periods = ['2026-01', '2026-09', '2026-12'];
      expect(await evaluate(periodExpr(lang), periods)).toEqual(periods.map((p) => formatPeriodShort(p, lang)));
      expect(await evaluate(periodExpr(lang, 'datum.value', false), periods)).toEqual(periods.map((p) => formatPeriod(p, lang)));
    });
  }
});
