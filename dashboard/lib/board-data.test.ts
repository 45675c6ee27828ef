import { describe, expect, test } from 'vitest';
import { familyRows, fillMonths, previousValue, sourceRows } from './board-data.ts';

describe('fillMonths', () => {
  test('gives every month of the window once, oldest first, missing months as gaps', () => {
    const points = [
      { period: '2026-09-01', value: 3 },
      { period: '2026-07-01', value: 1 },
    ];
    expect(fillMonths(points, '2026-06', '2026-09')).toEqual([
      { period: '2026-06', value: null },
      { period: '2026-07', value: 1 },
      { period: '2026-08', value: null },
      { period: '2026-09', value: 3 },
    ]);
  });

  test('crosses a year and leaves out points outside the window', () => {
    const filled = fillMonths([{ period: '2025-11', value: 9 }, { period: '2026-01', value: 5 }], '2025-12', '2026-01');
    expect(filled.map((p) => `${p.period}=${p.value}`)).toEqual(['2025-12=null', '2026-01=5']);
  });
});

describe('previousValue (the month-over-month base of a tile)', () => {
  test('is the month before the last', () => {
    expect(previousValue([{ period: '2026-08', value: 10 }, { period: '2026-09', value: 12 }])).toBe(10);
  });

  test('is null without a previous month, or when it had no figure', () => {
    expect(previousValue(undefined)).toBeNull();
    expect(previousValue([{ period: '2026-09', value: 12 }])).toBeNull();
    expect(previousValue([{ period: '2026-08', value: null }, { period: '2026-09', value: 12 }])).toBeNull();
  });
});

describe('breakdown rows', () => {
  test('a KPI family becomes one row per code of the dimension, in the enumeration order, absent ones null', () => {
    const rows = familyRows({ complaints_network: 7, complaints_billing: 3, complaints_per_10k: 99 }, 'complaints_', 'category');
    expect(rows.map((r) => `${r.code}=${r.value}`)).toEqual(['billing=3', 'network=7', 'service_attitude=null', 'product=null', 'installation=null', 'other=null']);
    expect(familyRows(null, 'gross_adds_', 'channel_type').every((r) => r.value === null)).toBe(true);
  });

  test('complaint sources read either shape of the breakdown, numbers from text, and every source appears', () => {
    const rows = sourceRows([
      { source: 'hotline', complaints: 120 },
      { code: 'hall', value: '45' },
      { source: 'media', complaints: null },
    ]);
    expect(rows).toEqual([
      { code: 'hotline', value: 120 },
      { code: 'hall', value: 45 },
      { code: 'online', value: null },
      { code: 'media', value: null },
      { code: 'regulator', value: null },
      { code: 'upper_company', value: null },
    ]);
    expect(sourceRows(null)).toEqual([]);
  });
});
