import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { HEADLINE_KEYS } from './briefing.ts';
import { SHEETS, renderXlsx } from './xlsx.ts';

describe('renderXlsx', () => {
  it('writes one sheet per section with Chinese names, figures as number cells with formats', async () => {
    const data = sampleBriefing();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(data)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS));
    const headline = wb.getWorksheet(SHEETS.headline)!;
    HEADLINE_KEYS.forEach((key, i) => {
      const row = headline.getRow(i + 2);
      expect(row.getCell(1).value).toBe(key);
      expect(row.getCell(3).value).toBe(data.kpis[key]);
    });
    const rate = headline.getRow(HEADLINE_KEYS.indexOf('convergence_rate') + 2).getCell(3);
    expect(rate.numFmt).toBe('0.0%');
    expect(headline.getRow(HEADLINE_KEYS.indexOf('revenue') + 2).getCell(3).numFmt).toContain('¥');
    const all = wb.getWorksheet(SHEETS.all)!;
    const values = new Map<string, unknown>();
    all.eachRow((row, n) => n > 1 && values.set(String(row.getCell(1).value), row.getCell(3).value));
    for (const [key, value] of Object.entries(data.kpis)) expect(values.get(key)).toBe(value);
    const channels = wb.getWorksheet(SHEETS.channels)!;
    expect(channels.getRow(1).getCell(1).value).toBe('渠道类型');
    expect(typeof channels.getRow(2).getCell(2).value).toBe('number');
  });
});
