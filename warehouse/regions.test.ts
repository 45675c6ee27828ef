import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse } from '../test/helpers/temp-warehouse.ts';
import { addRegion, listRegions, loadRegionsCsv, normalizeRegionCode } from './regions.ts';

const SHARED_CITIES = join(import.meta.dirname, '..', '..', 'shared', 'data', 'cn-cities.csv');

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
beforeAll(async () => {
  ctx = await tempWarehouse();
});
afterAll(() => ctx.dispose());

describe('normalizeRegionCode', () => {
  it('pads 4-digit city codes and refuses anything else', () => {
    expect(normalizeRegionCode('3303')).toBe('330300');
    expect(normalizeRegionCode('330300')).toBe('330300');
    expect(() => normalizeRegionCode('33030')).toThrow(/6 digits/);
    expect(() => normalizeRegionCode("330300' or 1=1")).toThrow();
  });
});

describe('regions', () => {
  it('adds a region and updates its name on a second add', async () => {
    await addRegion(ctx.wh, '440300', '深圳', 'Shenzhen');
    await addRegion(ctx.wh, '440300', '深圳市');
    const r = (await listRegions(ctx.wh)).find((x) => x.code === '440300');
    expect(r).toEqual({ code: '440300', name_zh: '深圳市', name_en: 'Shenzhen' });
  });

  it("loads the national city list of ../shared/data, padding codes and skipping placeholders", async () => {
    const r = await loadRegionsCsv(ctx.wh, SHARED_CITIES);
    // 342 rows, 9 placeholders; the 11 seeded Zhejiang cities and 深圳 already exist.
    expect(r.skipped.length).toBe(9);
    expect(r.added + r.updated).toBe(333);
    expect(r.updated).toBe(12);
    const all = await listRegions(ctx.wh);
    expect(all.length).toBe(333);
    expect(all.find((x) => x.code === '330300')).toEqual({ code: '330300', name_zh: '温州市', name_en: 'Wenzhou' });
  });
});
