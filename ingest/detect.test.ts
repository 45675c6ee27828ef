import { describe, expect, it } from 'vitest';
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { sliceFromFileName } from './detect.ts';

const REGIONS = new Set(ZHEJIANG_CITIES.map((c) => c.code));

describe('sliceFromFileName', () => {
  it('reads one region (a code of the list or ALL) and one month (YYYYMM or YYYY-MM) from the name', () => {
    expect(sliceFromFileName('/x/complaint_330300_202609.csv', REGIONS)).toEqual({ region: '330300', period: '2026-09' });
    expect(sliceFromFileName('complaint_ALL_2026-09.xlsx', REGIONS)).toEqual({ region: 'ALL', period: '2026-09' });
    expect(sliceFromFileName('07_revenue_all_202609_v2.csv', REGIONS)).toEqual({ region: 'ALL', period: '2026-09' });
    expect(sliceFromFileName('subscriber_202609_330300_gbk.csv', REGIONS)).toEqual({ region: '330300', period: '2026-09' });
  });

  it('is null without a region or a month, with two of either, or with a region outside the list', () => {
    for (const name of [
      'subscriber_202609.csv',
      'subscriber_330300.csv',
      'subscriber_330300_330400_202609.csv',
      'subscriber_330300_202609_202610.csv',
      'subscriber_339900_202609.csv',
      'subscriber_330300_202613.csv',
      'subscriber_330300_2026.csv',
    ]) {
      expect(sliceFromFileName(name, REGIONS), name).toBeNull();
    }
  });
});
