import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { NOT_REPORTED } from '../charts/format.ts';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, COMPLAINTS_BY_SERVICE, HEADLINE_KEYS, type BriefingData } from './briefing.ts';
import { commentary } from './commentary.ts';
import { SHEETS, SHEET_NAMES, renderXlsx } from './xlsx.ts';
import { xlsxText } from '../test/helpers/briefing-scope.ts';

async function workbook(data: BriefingData, lang: 'zh' | 'en' = 'zh'): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await renderXlsx(data, lang)) as unknown as ArrayBuffer);
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
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS).filter((n) => n !== SHEETS.cities && n !== SHEETS.league));
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

  it('holds the commentary, the customer groups as numbers and every escalated complaint of the month', async () => {
    const data = sampleBriefing();
    const wb = await workbook(data);
    const c = commentary(data, 'zh');
    expect(rows(wb, SHEETS.commentary)).toEqual([
      ['类型', '序号', '内容'],
      ...c.issues.map((s, i) => ['问题', i + 1, s]),
      ...c.suggestions.map((s, i) => ['建议', i + 1, s]),
      ...c.highlights.map((s, i) => ['亮点', i + 1, s]),
    ]);
    expect(rows(wb, SHEETS.commentary)).toContainEqual(['问题', expect.any(Number), '越级投诉量 12 件，环比上升 3.1%（变差），地市排名第 2 / 11 名']);
    expect(rows(wb, SHEETS.segments)).toEqual([
      ['客户群', '到达用户数', '净增用户', '新增用户', '离网率', '融合渗透率', '出账收入', 'ARPU', '户均收入'],
      ['个人', 812_345, -3210, 21_012, 0.0151, 0.3811, 45_678_901.23, 55.12, 88.4],
      ['家庭', 345_678, 987, 8_765, 0.0072, 0.6123, 34_567_890.12, 60.34, 120.55],
      ['政企', 76_544, -122, 1_234, 0.0098, 0.2456, 18_518_640.75, 241.9, 1234.5],
    ]);
    expect(wb.getWorksheet(SHEETS.segments)!.getRow(2).getCell(5).numFmt).toBe('0.0%');
    expect(rows(wb, SHEETS.escalated)).toEqual([
      ['投诉编号', '受理时间', '投诉类别', '投诉来源', '状态（截至月末）'],
      ['C-2026-0901', '2026-09-03 10:15:00', '计费', '工信部/通管局', '已办结'],
      ['C-2026-0917', '2026-09-17 16:40:00', '网络质量', '媒体', '超时未办结'],
    ]);
    // The province's list says which city each complaint is of.
    expect(rows(await workbook(sampleBriefing('ALL')), SHEETS.escalated)[1]).toEqual(['C-2026-0901', '2026-09-03 10:15:00', '杭州市', '计费', '工信部/通管局', '已办结']);
  });

  it('says "未上报" for the customer groups and the escalated list when their extracts have not arrived', async () => {
    const wb = await workbook(sampleBriefing('330300', { complaint: ['330300'], subscriber: ['330300'] }));
    expect(rows(wb, SHEETS.escalated).slice(1)).toEqual([['投诉清单未上报，越级投诉清单待清单到达后生成。']]);
    // Subscriber figures "未上报"; revenue arrived, so the groups' revenue stands.
    expect(rows(wb, SHEETS.segments)[1]).toEqual(['个人', '未上报', '未上报', '未上报', '未上报', '未上报', 45_678_901.23, '未上报', '未上报']);
    expect(rows(wb, SHEETS.commentary).map((r) => r[2])).toContain('尽快报送投诉清单，到达后本简报自动重新生成');
  });

  it('writes the English edition: English sheet names, headers and words, the same numbers', async () => {
    const data = sampleBriefing();
    const bytes = await renderXlsx(data, 'en');
    const wb = await workbook(data, 'en');
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEET_NAMES.en).filter((n) => n !== SHEET_NAMES.en.cities && n !== SHEET_NAMES.en.league));
    expect((await xlsxText(bytes)).match(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
    expect(rows(wb, SHEET_NAMES.en.headline)[0]).toEqual(['KPI key', 'KPI', 'This month', 'Month before', 'MoM', 'Same month last year', 'YoY', 'Rank among cities', 'Cities ranked']);
    expect(rows(wb, SHEET_NAMES.en.headline)[1]).toEqual(expect.arrayContaining(['active_subscriptions', 'Active subscriptions', 1_234_567]));
    expect(rows(wb, SHEET_NAMES.en.segments)[3]).toEqual(['Gov. & enterprise', 76_544, -122, 1_234, 0.0098, 0.2456, 18_518_640.75, 241.9, 1234.5]);
    expect(rows(wb, SHEET_NAMES.en.escalated)[2]).toEqual(['C-2026-0917', '2026-09-17 16:40:00', 'Network quality', 'Media', 'Overdue, open']);
    expect(rows(wb, SHEET_NAMES.en.cover)).toContainEqual(['Region', 'Wenzhou']);
    const missing = await workbook(sampleBriefing('330300', { complaint: ['330300'] }), 'en');
    expect(rows(missing, SHEET_NAMES.en.headline).find((r) => r[0] === 'escalated_complaints')![2]).toBe('not reported');
    expect(rows(missing, SHEET_NAMES.en.quality)).toContainEqual(['complaint extract', 'not reported', 'Wenzhou']);
  });

  it('holds the targets as numbers: target, actual, year to date, time progress, completion, gap in points, attainment, a status word on its colour, weight; then score and rank (hand-checked)', async () => {
    const wb = await workbook(sampleBriefing());
    const ws = wb.getWorksheet(SHEETS.targets)!;
    const table = rows(wb, SHEETS.targets);
    expect(table[0]).toEqual(['指标键', '指标', '目标期', '目标', '本月实际', '年累计', '计入月数', '时序进度', '完成进度', '进度差(个百分点)', '完成率', '状态', '权重']);
    expect(table.slice(1, 7).map((r) => r[0])).toEqual(['revenue', 'gross_adds', 'churn_rate', 'convergence_rate', 'complaints_per_10k', 'escalated_complaints']);
    const revenue = table[1]!;
    expect(revenue.slice(0, 8)).toEqual(['revenue', '出账收入', '2026 年度', 1_200_000_000, 98_765_432.1, 880_000_000, 9, 0.75]);
    expect(revenue[8]).toBeCloseTo(880 / 1200, 9);
    expect(revenue[9]).toBeCloseTo(-1.6667, 4);
    expect(revenue[10]).toBeCloseTo(880 / 900, 9);
    expect(revenue.slice(11)).toEqual(['接近', 30]);
    const churn = table[3]!;
    expect([churn[2], churn[3], churn[4], churn[10], churn[11], churn[12]]).toEqual(['2026年9月', 0.012, 0.0123, 0.975, '接近', 20]);
    expect(table[6]!.slice(10)).toEqual([expect.closeTo((90 - 50) / 45, 9), '未达标', 5]);
    expect(ws.getRow(2).getCell(4).numFmt).toContain('¥');
    expect(ws.getRow(4).getCell(5).numFmt).toBe('0.0%');
    expect(ws.getRow(7).getCell(12).fill).toMatchObject({ fgColor: { argb: 'FFDC2626' } });
    expect(ws.getRow(2).getCell(12).fill).toMatchObject({ fgColor: { argb: 'FFB45309' } });
    // 100 × (30 × 0.97778 + 20 × 1.06667 + 20 × 0.975 + 15 × 1.0585 + 10 × 0.85 + 5 × 0.88889) / 100.
    const score = table.find((r) => r[0] === '考核得分')!;
    expect(score[3]).toBeCloseTo(98.9886, 3);
    expect(table.find((r) => r[0] === '地市排名')![3]).toBe(4);
    expect(table.find((r) => r[0] === '参与排名地市数')![3]).toBe(11);
    // The complaint extract missing: "未上报", never 0, and the target not judged.
    const missing = rows(await workbook(sampleBriefing('330300', { complaint: ['330300'] })), SHEETS.targets);
    expect(missing.find((r) => r[0] === 'complaints_per_10k')!.slice(3, 5)).toEqual([3, '未上报']);
    expect(missing.find((r) => r[0] === 'complaints_per_10k')![11]).toBe('未评价');
  });

  it("gives the province's workbook the cities' league, and a city's none", async () => {
    const province = await workbook(sampleBriefing('ALL'));
    expect(rows(province, SHEETS.league)[1]).toEqual([1, '330100', '杭州市', 104]);
    expect(rows(province, SHEETS.league)).toHaveLength(12);
    expect(rows(province, SHEETS.targets).find((r) => r[0] === '地市排名')).toBeUndefined();
    expect((await workbook(sampleBriefing())).getWorksheet(SHEETS.league)).toBeUndefined();
    const en = await workbook(sampleBriefing('ALL'), 'en');
    expect(rows(en, SHEET_NAMES.en.league)[1]).toEqual([1, '330100', 'Hangzhou', 104]);
    expect(rows(en, SHEET_NAMES.en.targets)[1]!.slice(0, 3)).toEqual(['revenue', 'Revenue', '2026 Year']);
  });
});
