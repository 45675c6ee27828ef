import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { NOT_REPORTED } from '../charts/format.ts';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, COMPLAINTS_BY_SERVICE, HEADLINE_KEYS, type BriefingData } from './briefing.ts';
import { SHEETS, renderXlsx } from './xlsx.ts';

async function workbook(data: BriefingData): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await renderXlsx(data)) as unknown as ArrayBuffer);
  return wb;
}

/** A sheet's rows as arrays of cell values, header included (column 1 first). */
function rows(wb: ExcelJS.Workbook, name: string): unknown[][] {
  const out: unknown[][] = [];
  wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe('renderXlsx', () => {
  it('writes one sheet per section with Chinese names, figures as number cells with formats', async () => {
    const data = sampleBriefing();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(data)) as unknown as ArrayBuffer);
    // A city's workbook has no city comparison sheet; the province's has every sheet.
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS).filter((n) => n !== SHEETS.cities));
    expect((await workbook(sampleBriefing('ALL'))).worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS));
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

  it('holds the channel and complaint figures a reader needs, one sheet each, as numbers', async () => {
    const data = sampleBriefing();
    const wb = await workbook(data);
    const channels = rows(wb, SHEETS.channelFocus).slice(1);
    expect(channels.map((r) => r[0])).toEqual(CHANNEL_KEYS);
    for (const r of channels) expect(r[2], String(r[0])).toBe(data.kpis[String(r[0])]);
    const complaints = rows(wb, SHEETS.complaintFocus).slice(1);
    expect(complaints.map((r) => r[0])).toEqual([...COMPLAINT_KEYS, ...COMPLAINTS_BY_SERVICE]);
    for (const r of complaints) expect(typeof r[2], String(r[0])).toBe('number');
  });

  it('writes "未上报" — never 0 — in the cells of an extract that has not arrived, and says which one in the data-quality sheet', async () => {
    const data = sampleBriefing('330300', { complaint: ['330300'] });
    const wb = await workbook(data);
    const headline = new Map(rows(wb, SHEETS.headline).map((r) => [r[0], r[2]]));
    for (const key of ['complaints_per_10k', 'escalated_complaints', 'sla_met_rate', 'satisfaction_rate']) expect(headline.get(key), key).toBe(NOT_REPORTED.zh);
    expect(headline.get('active_subscriptions')).toBe(data.kpis.active_subscriptions);
    const all = new Map(rows(wb, SHEETS.all).map((r) => [r[0], r[2]]));
    expect(all.get('complaints')).toBe(NOT_REPORTED.zh);
    // Every figure cell of the complaint categories.
    for (const r of rows(wb, SHEETS.categories).slice(1)) expect(r.slice(1).every((v) => v === NOT_REPORTED.zh), String(r[0])).toBe(true);
    expect(rows(wb, SHEETS.quality)).toContainEqual(['投诉清单', '投诉清单未上报', '温州市']);
    expect(rows(wb, SHEETS.quality)).toContainEqual(['用户清单', '已上报']);
    expect(rows(wb, SHEETS.cover)).toContainEqual(['未上报的清单', '投诉清单']);
  });
});
