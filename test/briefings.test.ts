// The briefing against the query layer on a real warehouse: the PDF's text and the XLSX's numbers
// are the values getKpis (the layer behind /api/kpis) gives, and the cache follows the data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, RANK_KEYS, kindOf } from '../briefings/briefing.ts';
import { BriefingService } from '../briefings/cache.ts';
import { gatherBriefing } from '../briefings/content.ts';
import { queryLayerSource } from '../briefings/kpi-source.ts';
import { serverBriefings } from '../briefings/server-hook.ts';
import { commentary } from '../briefings/commentary.ts';
import { SHEETS } from '../briefings/xlsx.ts';
import { NOT_REPORTED, formatFull, formatValue } from '../charts/format.ts';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { ingestFile } from '../ingest/load.ts';
import { getKpis, getRanking } from '../queries/kpis.ts';
import { getScorecard, getTargets } from '../queries/targets.ts';
import { attainmentText } from '../briefings/target-figures.ts';
import { TEXT } from '../briefings/text.ts';
import { runModels } from '../warehouse/models.ts';
import { demoWarehouse } from './helpers/demo-warehouse.ts';
import { foreignNames, xlsxText } from './helpers/briefing-scope.ts';
import { pdfPageToPng, pdfText } from './helpers/pdf-tools.ts';
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');

let t: Awaited<ReturnType<typeof demoWarehouse>>;

/** A sheet's rows as arrays of cell values, header included. */
function sheetRows(wb: ExcelJS.Workbook, name: string): unknown[][] {
  const out: unknown[][] = [];
  wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}
let service: BriefingService;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await demoWarehouse();
  service = new BriefingService({ now: () => new Date('2026-10-05T09:00:00+08:00') });
});

afterAll(async () => {
  await service?.close();
  t?.dispose();
});

describe('BriefingService on the demo warehouse', () => {
  it('renders the PDF on a worker thread with the city, the month and the headline values of getKpis as the board shows them', async () => {
    const pdf = await service.get(t.wh, '330300', '2026-09', 'pdf');
    expect(pdf.byteLength).toBeLessThan(2 * 1024 * 1024);
    const text = pdfText(pdf);
    expect(text).toContain('温州市');
    expect(text).toContain('2026年9月');
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    expect(kpis.active_subscriptions).toBeGreaterThan(0);
    for (const key of HEADLINE_KEYS) expect(text, key).toContain(formatValue(kpis[key], kindOf(key), 'zh'));
    writeFileSync(join(ARTIFACTS, 'briefing-330300-2026-09.pdf'), pdf);
    const png = pdfPageToPng(pdf, join(ARTIFACTS, 'briefing-330300-2026-09-page1'));
    expect(png).toMatch(/page1\.png$/);
  });

  it('writes the XLSX with Chinese sheet names and the same values as numbers', async () => {
    const xlsx = await service.get(t.wh, '330300', '2026-09', 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('核心指标');
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    const headline = wb.getWorksheet(SHEETS.headline)!;
    HEADLINE_KEYS.forEach((key, i) => {
      const cell = headline.getRow(i + 2).getCell(3).value;
      expect(cell, key).toBe(kpis[key]);
      if (kpis[key] !== null) expect(typeof cell).toBe('number');
    });
    const all = new Map<string, unknown>();
    wb.getWorksheet(SHEETS.all)!.eachRow((row, n) => n > 1 && all.set(String(row.getCell(1).value), row.getCell(3).value));
    for (const [key, value] of Object.entries(kpis)) expect(all.get(key), key).toBe(value);
  });

  it('ranks the city as getRanking (GET /api/kpis/ranking) does, for every key it ranks: rank 1 the best by direction', async () => {
    const data = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: '330300', period: '2026-09' });
    for (const key of RANK_KEYS) {
      const { rows } = await getRanking(t.wh, { key, period: '2026-09' });
      const row = rows.find((r) => r.region_code === '330300')!;
      expect(data.ranks[key]?.rank ?? null, key).toBe(row.rank);
      if (row.rank !== null) expect(data.ranks[key]?.of, key).toBe(rows.filter((r) => r.rank !== null).length);
    }
    // The lowest churn is rank 1, in the briefing as in the API.
    const churn = await getRanking(t.wh, { key: 'churn_rate', period: '2026-09' });
    const lowest = Math.min(...churn.rows.flatMap((r) => (r.value === null ? [] : [r.value])));
    expect(churn.rows[0]).toMatchObject({ value: lowest, rank: 1 });
    // What a reader sees: the XLSX's rank column.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await service.get(t.wh, '330300', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    const headline = wb.getWorksheet(SHEETS.headline)!;
    HEADLINE_KEYS.forEach((key, i) => expect(headline.getRow(i + 2).getCell(8).value ?? null, key).toBe(data.ranks[key]?.rank ?? null));
  });

  it('shows the new channel and complaint figures of getKpis', async () => {
    const text = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf'));
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    for (const key of [...CHANNEL_KEYS, ...COMPLAINT_KEYS]) {
      expect(kpis[key], key).not.toBeUndefined();
      expect(text, key).toContain(formatValue(kpis[key], kindOf(key), 'zh'));
    }
  });

  it("holds only the city's own figures and its ranks: no other city, no province figure, in the PDF or any XLSX cell, in either language", async () => {
    for (const lang of ['zh', 'en'] as const) {
      const own = lang === 'zh' ? '温州市' : 'Wenzhou';
      for (const format of ['pdf', 'xlsx'] as const) {
        const bytes = await service.get(t.wh, '330300', '2026-09', format, lang);
        const text = format === 'pdf' ? pdfText(bytes) : await xlsxText(bytes);
        expect(text, `${lang} ${format}`).toContain(own);
        // The commentary, the customer groups and the escalated list included.
        expect(text, `${lang} ${format}`).toContain(lang === 'zh' ? '问题与建议' : 'Issues and actions');
        expect(foreignNames(text, '330300'), `${lang} ${format}`).toEqual([]);
      }
    }
    const pdf = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf'));
    const data = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: '330300', period: '2026-09' });
    const rank = data.ranks.convergence_rate!;
    expect(rank).not.toBeNull();
    expect(pdf.replace(/\s+/g, '')).toContain(`第${rank.rank}/${rank.of}名`);
    // The province briefing still compares every city.
    const province = pdfText(await service.get(t.wh, 'ALL', '2026-09', 'pdf')).replace(/\s+/g, '');
    const provinceXlsx = await xlsxText(await service.get(t.wh, 'ALL', '2026-09', 'xlsx'));
    for (const c of ZHEJIANG_CITIES) {
      expect(province, c.code).toContain(c.nameZh);
      expect(provinceXlsx, c.code).toContain(c.nameZh);
    }
  });

  it('serves the province briefing without ranks', async () => {
    const text = pdfText(await service.get(t.wh, 'ALL', '2026-09', 'pdf'));
    expect(text).toContain('全省');
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: 'ALL' });
    expect(text).toContain(formatValue(kpis.active_subscriptions, 'count', 'zh'));
  });

  it('serves a second download from the cache, and regenerates after a load that touches the month', async () => {
    const first = await service.get(t.wh, '330300', '2026-09', 'pdf');
    const renders = service.stats().renders;
    const again = await service.get(t.wh, '330300', '2026-09', 'pdf');
    expect(again).toBe(first);
    expect(service.stats().renders).toBe(renders);

    // A later month's load leaves September's briefing as it is.
    const october = join(t.dir, 'complaint_330300_202610.csv');
    writeFileSync(october, 'complaint_id,received_at,region_code,category,source\nT-OCT-1,2026-10-05 10:00:00,330300,billing,hotline\n');
    const loaded = await ingestFile(t.wh, october);
    expect(loaded.status).toBe('loaded');
    await runModels(t.wh, { slices: loaded.slices.map((s) => ({ kind: 'complaint' as const, ...s })) });
    expect(await service.get(t.wh, '330300', '2026-09', 'pdf')).toBe(first);

    // A load of September (a re-sent complaint extract of the city) makes the next request regenerate.
    const september = join(t.dir, 'complaint_330300_202609.csv');
    writeFileSync(september, 'complaint_id,received_at,region_code,category,source\nT-SEP-1,2026-09-05 10:00:00,330300,billing,media\n');
    const resent = await ingestFile(t.wh, september);
    expect(resent.status).toBe('loaded');
    await runModels(t.wh, { slices: resent.slices.map((s) => ({ kind: 'complaint' as const, ...s })) });
    const fresh = await service.get(t.wh, '330300', '2026-09', 'pdf');
    expect(fresh).not.toBe(first);
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    expect(kpis.escalated_complaints).toBe(1);
    expect(pdfText(fresh)).toContain('越级投诉');
  });
});

describe('the sections of issue 12 on the demo warehouse', () => {
  it("lists the month's escalated complaints of the city (after the re-sent file: exactly T-SEP-1), and of every city in the province's", async () => {
    const data = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: '330300', period: '2026-09' });
    // The re-sent file of the test above: one complaint from the media, received 2026-09-05 10:00, never
    // resolved, so past its 48-hour deadline (09-07 10:00) at the month's end: overdue.
    expect(data.escalated).toEqual({
      total: 1,
      rows: [{ complaint_id: 'T-SEP-1', received_at: '2026-09-05 10:00:00', region_code: '330300', category: 'billing', source: 'media', status: 'overdue' }],
    });
    const zh = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf')).replace(/\s+/g, '');
    expect(zh).toContain('本月越级投诉清单共1件；状态截至月末');
    expect(zh).toContain('T-SEP-1');
    expect(zh).toContain('2026-09-0510:00:00计费媒体超时未办结');
    const en = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf', 'en')).replace(/\s+/g, '');
    // (pdftotext may put the id column before or after the rest of the row)
    expect(en).toContain('T-SEP-1');
    expect(en).toContain('2026-09-0510:00:00BillingMediaOverdue,open');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await service.get(t.wh, '330300', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    expect(sheetRows(wb, SHEETS.escalated)).toEqual([
      ['投诉编号', '受理时间', '投诉类别', '投诉来源', '状态（截至月末）'],
      ['T-SEP-1', '2026-09-05 10:00:00', '计费', '媒体', '超时未办结'],
    ]);

    // The province's list: as many as its escalated-complaint figure, each with its city.
    const province = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: 'ALL', period: '2026-09' });
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: 'ALL' });
    expect(province.escalated!.total).toBe(kpis.escalated_complaints);
    expect(province.escalated!.rows.length).toBe(kpis.escalated_complaints);
    for (const r of province.escalated!.rows) expect(['media', 'regulator', 'upper_company'], r.complaint_id).toContain(r.source);
    const all = new ExcelJS.Workbook();
    await all.xlsx.load(Buffer.from(await service.get(t.wh, 'ALL', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    const listed = sheetRows(all, SHEETS.escalated);
    expect(listed.length - 1).toBe(kpis.escalated_complaints);
    expect(listed).toContainEqual(['T-SEP-1', '2026-09-05 10:00:00', '温州市', '计费', '媒体', '超时未办结']);
  });

  it('shows the customer groups (个人/家庭/政企) with the figures getKpis gives per segment, and they add up to the city', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await service.get(t.wh, '330300', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    const rows = sheetRows(wb, SHEETS.segments);
    expect(rows.map((r) => r[0])).toEqual(['客户群', '个人', '家庭', '政企']);
    const keys = ['active_subscriptions', 'net_adds', 'gross_adds', 'churn_rate', 'convergence_rate', 'revenue', 'arpu', 'arpa'];
    const text = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf')).replace(/\s+/g, '');
    for (const [i, segment] of ['personal', 'household', 'enterprise'].entries()) {
      const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300', segment });
      expect(kpis.active_subscriptions, segment).toBeGreaterThan(0);
      expect(rows[i + 1]!.slice(1), segment).toEqual(keys.map((k) => kpis[k]));
      expect(text, segment).toContain(formatFull(kpis.revenue, 'money'));
    }
    // Every subscription is of one group: the groups' subscriptions are the city's.
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r[1]), 0)).toBe(kpis.active_subscriptions);
  });

  it("writes the commentary from the city's figures: each issue a sentence of getKpis' values, the escalated complaint an issue", async () => {
    const data = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: '330300', period: '2026-09' });
    expect(data.kpis.escalated_complaints).toBe(1);
    const c = commentary(data, 'zh');
    expect(c.issues.find((s) => s.startsWith('越级投诉量 1 件，'))).toBeDefined();
    expect(c.suggestions).toContain('越级投诉逐件回访、查明原因、落实责任，压降至 0');
    const text = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf')).replace(/\s+/g, '');
    for (const line of [...c.issues, ...c.suggestions, ...c.highlights]) expect(text).toContain(line.replace(/\s+/g, ''));
  });

  it("shows the city's targets as getTargets (GET /api/targets) judges them — score, rank among the cities, each row in its status — and the province the league", async () => {
    const data = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: '330300', period: '2026-09' });
    const answer = await getTargets(t.wh, { period: '2026-09', region: '330300' });
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(answer.score).not.toBeNull();
    expect(data.targets).toEqual({ score: answer.score, rank: answer.rank, ranked: answer.ranked, rows: answer.rows, league: [] });
    // The demo's monthly churn target for 温州 overrides the annual one.
    expect(answer.rows.find((r) => r.kpi === 'churn_rate')?.target_period).toBe('2026-09');
    const flat = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf')).replace(/\s+/g, '');
    expect(flat).toContain(`考核得分${answer.score!.toFixed(2)}，地市排名第${answer.rank}/${answer.ranked}名`);
    for (const row of answer.rows) expect(flat, row.kpi).toContain(`${attainmentText(row)}${TEXT.zh.targets.status[row.status]}`);
    const en = pdfText(await service.get(t.wh, '330300', '2026-09', 'pdf', 'en')).replace(/\s+/g, ' ');
    expect(en).toContain(TEXT.en.targets.score(answer.score!.toFixed(2), answer.rank, answer.ranked));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await service.get(t.wh, '330300', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    const sheet = sheetRows(wb, SHEETS.targets);
    for (const row of answer.rows) {
      const cells = sheet.find((r) => r[0] === row.kpi)!;
      expect(cells[3], row.kpi).toBe(row.target);
      expect(cells[10] ?? null, row.kpi).toBe(row.attainment);
      expect(cells[11], row.kpi).toBe(TEXT.zh.targets.status[row.status]);
    }
    // The province's briefing: its own targets and every city's score and rank.
    const province = await gatherBriefing(t.wh, queryLayerSource(t.wh), { region: 'ALL', period: '2026-09' });
    expect(province.targets.league).toEqual((await getScorecard(t.wh, { period: '2026-09' })).rows);
    expect(province.targets.rank).toBeNull();
  });

  it('writes the English edition from the same figures, with no Chinese in it, cached apart from the Chinese one', async () => {
    const en = await service.get(t.wh, '330300', '2026-09', 'pdf', 'en');
    const zh = await service.get(t.wh, '330300', '2026-09', 'pdf');
    expect(en).not.toBe(zh);
    const text = pdfText(en);
    expect(text.match(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
    expect(text).toContain('Wenzhou');
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    for (const key of HEADLINE_KEYS) expect(text, key).toContain(formatValue(kpis[key], kindOf(key), 'en'));
    const renders = service.stats().renders;
    expect(await service.get(t.wh, '330300', '2026-09', 'pdf', 'en')).toBe(en);
    expect(service.stats().renders).toBe(renders);
    const xlsx = await xlsxText(await service.get(t.wh, '330300', '2026-09', 'xlsx', 'en'));
    expect(xlsx.match(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
  });
});

describe('a city whose complaint extract has not arrived', () => {
  it('reads "未上报" — never 0 — in the PDF and the XLSX, and the data-quality note names the complaint extract', async () => {
    // As if Huzhou's complaint file for September had not arrived: no slice, no rows.
    await t.wh.run(`delete from load_slices where kind = 'complaint' and region_code = '330500' and period = date '2026-09-01'`);
    await t.wh.run(`delete from raw_complaint where region_code = '330500' and period = date '2026-09-01'`);
    await runModels(t.wh, { slices: [{ kind: 'complaint', region_code: '330500', period: '2026-09' }] });
    const answer = await getKpis(t.wh, { period: '2026-09', region: '330500' });
    expect(answer.missing_extracts).toEqual({ complaint: ['330500'] });
    expect(answer.kpis.escalated_complaints).toBeNull();

    const pdf = await service.get(t.wh, '330500', '2026-09', 'pdf');
    writeFileSync(join(ARTIFACTS, 'briefing-330500-2026-09-complaint-missing.pdf'), pdf);
    const text = pdfText(pdf);
    expect(text).toContain('湖州市');
    expect(text).toContain(NOT_REPORTED.zh);
    expect(text.replace(/\s+/g, '')).toContain('投诉清单未上报');
    // The escalated list is not known, not empty; in English too.
    expect(text.replace(/\s+/g, '')).toContain('投诉清单未上报，越级投诉清单待清单到达后生成。');
    expect(text).not.toContain('本月无越级投诉');
    const en = pdfText(await service.get(t.wh, '330500', '2026-09', 'pdf', 'en')).replace(/\s+/g, ' ');
    expect(en).toContain('The complaint extract has not been reported');
    expect(en).toContain('complaint extract not reported: Huzhou');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await service.get(t.wh, '330500', '2026-09', 'xlsx')) as unknown as ArrayBuffer);
    const headline = wb.getWorksheet(SHEETS.headline)!;
    const fromComplaints = HEADLINE_KEYS.filter((key) => kpiDefinition(key)!.sources.includes('complaint'));
    expect(fromComplaints).toContain('escalated_complaints');
    HEADLINE_KEYS.forEach((key, i) => {
      const cell = headline.getRow(i + 2).getCell(3).value;
      if (fromComplaints.includes(key)) expect(cell, key).toBe(NOT_REPORTED.zh);
      else expect(cell, key).toBe(answer.kpis[key]);
    });

    // The province: its note names Huzhou; its complaint figures cover the other cities.
    const province = pdfText(await service.get(t.wh, 'ALL', '2026-09', 'pdf')).replace(/\s+/g, '');
    expect(province).toContain('投诉清单未上报：湖州市');
    const all = await getKpis(t.wh, { period: '2026-09', region: 'ALL' });
    expect(all.kpis.complaints).toBeGreaterThan(0);
    expect(province).toContain(formatValue(all.kpis.escalated_complaints, 'count', 'zh'));
  });
});

describe('serverBriefings', () => {
  it('pre-generates the newest month of a model run for the province and every region, then serves them from the cache', async () => {
    // Rendering is tested above; here a stand-in keeps the test about what is rendered when.
    const hook = serverBriefings({ render: async (d, format) => new TextEncoder().encode(`${format} ${d.region} ${d.period}`) });
    try {
      const log = { info: () => {}, error: (m: string) => expect.fail(m) };
      const parts = { readers: { use: <T>(fn: (wh: typeof t.wh) => Promise<T>) => fn(t.wh) }, regions: new Set(['330300']), log };
      hook.afterModels({ status: 'tests_failed', periods: ['2026-09'] }, parts);
      await hook.idle();
      expect(hook.stats().entries).toBe(0);
      hook.afterModels({ status: 'ok', periods: ['2026-08', '2026-09'] }, parts);
      await hook.idle();
      expect(hook.stats().entries).toBe(4);
      await hook.render(t.wh, '330300', '2026-09', 'pdf');
      expect(hook.stats()).toMatchObject({ entries: 4, renders: 4 });
    } finally {
      await hook.close();
    }
  });
});
