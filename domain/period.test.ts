import { describe, expect, it } from 'vitest';
import { addMonths, currentMonth, isPeriod, lastCompleteMonth, monthRange, monthsEnding, normalizePeriod, periodIndex } from './period.ts';
import { isRegionCode, isRegionScope, padRegionCode } from './region-code.ts';

describe('isPeriod', () => {
  it('takes real months written YYYY-MM, years 1900 to 2999', () => {
    expect(['2026-09', '1900-01', '2999-12'].every(isPeriod)).toBe(true);
    expect(['2026-13', '2026-00', '2026-9', '202609', '1899-12', '3000-01', '2026-09-01', ' 2026-09', 9, null].some(isPeriod)).toBe(false);
  });
});

describe('normalizePeriod', () => {
  it('reads the compact form of file names', () => {
    expect(normalizePeriod('202609')).toBe('2026-09');
    expect(normalizePeriod('2026-09')).toBe('2026-09');
    expect(normalizePeriod('202613')).toBeUndefined();
  });
});

describe('addMonths and ranges', () => {
  it('crosses year ends both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-09', -12)).toBe('2025-09');
    expect(periodIndex('2026-01') - periodIndex('2025-12')).toBe(1);
  });
  it('lists inclusive ranges oldest first', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-02', '2026-01')).toEqual([]);
    expect(monthsEnding('2026-09')).toHaveLength(12);
    expect(monthsEnding('2026-09', 3)).toEqual(['2026-07', '2026-08', '2026-09']);
  });
});

describe('currentMonth', () => {
  it('is the month in Asia/Shanghai, not the machine zone', () => {
    // 2026-09-30 16:30 UTC is already 1 October 00:30 in Shanghai.
    const now = new Date(Date.UTC(2026, 8, 30, 16, 30));
    expect(currentMonth(now)).toBe('2026-10');
    expect(lastCompleteMonth(now)).toBe('2026-09');
  });
});

describe('region codes', () => {
  it('checks the 6-digit shape and ALL', () => {
    expect(isRegionCode('330300')).toBe(true);
    expect(isRegionCode('ALL')).toBe(false);
    expect(isRegionScope('ALL')).toBe(true);
    expect(['33030', '3303000', '330300;', 'all'].some(isRegionScope)).toBe(false);
  });
  it('pads 4- and 2-digit codes as national lists write them', () => {
    expect(padRegionCode('3303')).toBe('330300');
    expect(padRegionCode(' 33 ')).toBe('330000');
    expect(padRegionCode('333')).toBeUndefined();
  });
});
