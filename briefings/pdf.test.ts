import { describe, expect, it } from 'vitest';
import { NOT_REPORTED, formatPeriod, formatValue } from '../charts/format.ts';
import { kpiLabel } from '../charts/labels.ts';
import { pdfFonts, pdfPages, pdfText } from '../test/helpers/pdf-tools.ts';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, kindOf, notReported } from './briefing.ts';
import { commentary } from './commentary.ts';
import { missingGlyphs } from './fonts.ts';
import { renderPdf } from './pdf.ts';

describe('renderPdf', () => {
  it('writes an A4 briefing whose text a PDF reader extracts in Chinese, with the headline values as the board shows them', async () => {
    const data = sampleBriefing();
    const bytes = await renderPdf(data);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(bytes.byteLength).toBeLessThan(2 * 1024 * 1024);
    const text = pdfText(bytes);
    expect(text).toContain('温州市');
    expect(text).toContain('2026年9月');
    expect(text).toContain('月度经营简报');
    for (const key of HEADLINE_KEYS) expect(text).toContain(formatValue(data.kpis[key], kindOf(key), 'zh'));
    const pages = pdfPages(bytes);
    expect(pages).toBeGreaterThanOrEqual(4);
    // pdftotext drops the spaces between Chinese and digits.
    expect(text.replace(/\s+/g, '')).toContain(`第${pages}页/共${pages}页`);
    // Chart labels are text too (vector charts, not pictures).
    expect(text).toContain('二类社会渠道');
  });

  it('embeds only subsets of the one CJK font, and the font has a glyph for every character printed', async () => {
    const bytes = await renderPdf(sampleBriefing('ALL'));
    const fonts = pdfFonts(bytes);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(f.name).toMatch(/NotoSansSC/);
    }
    expect(missingGlyphs(pdfText(bytes))).toEqual([]);
  });

  it('shows the channel and complaint figures a reader needs: exclusive beside shared outlets, commission share of revenue, overdue open complaints, appeals per million, complaints by service', async () => {
    const data = sampleBriefing();
    const text = pdfText(await renderPdf(data));
    for (const key of [...CHANNEL_KEYS, ...COMPLAINT_KEYS]) {
      expect(text, key).toContain(kpiLabel(key, 'zh'));
      expect(text, key).toContain(formatValue(data.kpis[key], kindOf(key), 'zh'));
    }
    // Complaints by service: the chart's bars are labelled with their values.
    for (const s of ['mobile', 'iptv']) expect(text, s).toContain(formatValue(data.kpis[`complaints_${s}`], 'count', 'zh'));
  });

  it('shows "未上报" — not 0, not a dash — where a city\'s extract has not arrived, and names the extract in the data-quality note', async () => {
    const data = sampleBriefing('330300', { complaint: ['330300'] });
    const headline = HEADLINE_KEYS.filter((k) => notReported(data, k, data.kpis[k]));
    expect(headline).toEqual(['complaints_per_10k', 'escalated_complaints', 'sla_met_rate', 'satisfaction_rate']);
    const text = pdfText(await renderPdf(data));
    // pdftotext ends each page with a form feed: the first page holds the headline tiles and the city's
    // rank table (in place of the province's city comparison), one "未上报" each.
    const [first] = text.split('\f');
    expect(first!.split(NOT_REPORTED.zh).length - 1).toBe(2 * headline.length);
    for (const key of HEADLINE_KEYS.filter((k) => !headline.includes(k))) expect(first, key).toContain(formatValue(data.kpis[key], kindOf(key), 'zh'));
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('投诉清单未上报（notreported）');
    expect(flat).not.toContain('用户清单未上报');
    expect(missingGlyphs(text)).toEqual([]);
    // The complaint tables: every cell of every category and source says so.
    expect(text.split(NOT_REPORTED.zh).length - 1).toBeGreaterThan(headline.length + 6 * 6 + 6 * 5);
  });

  it('names, in the province\'s data-quality note, the cities whose extracts have not arrived, and marks them in the city comparison', async () => {
    const data = sampleBriefing('ALL', { complaint: ['330300', '330500'], subscriber: ['331100'] });
    const flat = pdfText(await renderPdf(data)).replace(/\s+/g, '');
    expect(flat).toContain('用户清单未上报：丽水市；投诉清单未上报：温州市、湖州市');
    // The city comparison: Lishui's bar is "未上报", not 0 and not a missing bar.
    expect(flat).toContain(`丽水市${NOT_REPORTED.zh}`);
    // A kind missing for some cities only: the province's own figures stand.
    expect(flat).toContain(formatValue(data.kpis.escalated_complaints, 'count', 'zh'));
  });

  it('writes the commentary (问题与建议), the customer groups and the month\'s escalated complaints', async () => {
    const data = sampleBriefing();
    const flat = pdfText(await renderPdf(data)).replace(/\s+/g, '');
    const c = commentary(data, 'zh');
    expect(c.issues.length).toBeGreaterThan(0);
    expect(flat).toContain('问题与建议');
    for (const line of [...c.issues, ...c.suggestions, ...c.highlights]) expect(flat).toContain(line.replace(/\s+/g, ''));
    // The sample's escalated complaints sentence: 12 against 11.64 (×0.97) the month before, by the KPI's direction worse.
    expect(flat).toContain('越级投诉量12件，环比上升3.1%（变差）');
    // The customer groups (the sample's figures, formatted in full).
    expect(flat).toContain('分客户群');
    for (const cell of ['812,345', '-3,210', '21,012', '1.5%', '38.1%', '¥45,678,901.23', '¥55.12', '¥88.40', '76,544', '¥18,518,640.75', '¥241.90', '¥1,234.50'])
      expect(flat, cell).toContain(cell);
    // The escalated complaints: id, received, category, source, status as of the month's end.
    expect(flat).toContain('本月越级投诉清单');
    expect(flat).toContain('C-2026-09012026-09-0310:15:00计费工信部/通管局已办结');
    expect(flat).toContain('C-2026-09172026-09-1716:40:00网络质量媒体超时未办结');
  });

  it('says the escalated list is not reported — not "none" — when the complaint extract has not arrived', async () => {
    const flat = pdfText(await renderPdf(sampleBriefing('330300', { complaint: ['330300'] }))).replace(/\s+/g, '');
    expect(flat).toContain('投诉清单未上报，越级投诉清单待清单到达后生成。');
    expect(flat).not.toContain('本月无越级投诉');
    expect(flat).toContain('投诉清单未上报：万户投诉率、越级投诉量、投诉处理及时率、投诉处理满意率本月无法评价（不按0计）');
  });

  it('writes the English edition: every heading, label and sentence in English, the same figures', async () => {
    const data = sampleBriefing();
    const bytes = await renderPdf(data, 'en');
    const text = pdfText(bytes);
    // Not one Chinese character: region, KPI, enumeration and chart labels all come in English.
    expect(text.match(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
    expect(text).toContain('Wenzhou branch');
    expect(text).toContain(formatPeriod('2026-09', 'en'));
    for (const key of HEADLINE_KEYS) expect(text, key).toContain(formatValue(data.kpis[key], kindOf(key), 'en'));
    const flat = text.replace(/\s+/g, ' ');
    for (const heading of ['Headline figures', 'Issues and actions', 'Customer groups', 'Channels', 'Service quality', "The month's escalated complaints", 'Data quality'])
      expect(flat, heading).toContain(heading);
    for (const line of commentary(data, 'en').issues) expect(flat.replace(/\s+/g, ''), line).toContain(line.replace(/\s+/g, ''));
    expect(flat).toContain('Escalated complaints 12, up 3.1% on the month before (worse)');
    expect(flat.replace(/\s+/g, '')).toContain('C-2026-09172026-09-1716:40:00NetworkqualityMediaOverdue,open');
    expect(flat.replace(/\s+/g, '')).toContain('Personal812,345');
    const pages = pdfPages(bytes);
    expect(flat).toContain(`Page ${pages} of ${pages}`);
    expect(missingGlyphs(text)).toEqual([]);
  });

  it('writes "not reported" in the English edition where an extract has not arrived', async () => {
    const flat = pdfText(await renderPdf(sampleBriefing('330300', { complaint: ['330300'] }), 'en')).replace(/\s+/g, ' ');
    expect(flat).toContain(NOT_REPORTED.en);
    expect(flat).toContain('complaint extract not reported: Wenzhou');
    expect(flat).toContain('The complaint extract has not been reported');
  });

  it('writes the targets page: the score and rank, each target with its actual, year to date against time progress, attainment and status (hand-checked)', async () => {
    const data = sampleBriefing();
    const flat = pdfText(await renderPdf(data)).replace(/\s+/g, '');
    expect(flat).toContain('考核目标');
    expect(flat).toContain('考核得分98.99，地市排名第4/11名');
    // revenue: annual ¥12亿, ytd ¥8.8亿 against ¥9亿 pro-rated to September: 97.8%, amber (接近).
    expect(flat).toContain('出账收入2026年度¥1,200,000,000.00¥98,765,432.10¥880,000,000.0075.0%73.3%-1.7个百分点97.8%接近30');
    // churn: a monthly target of a lower-is-better rate: (2 × 1.2% − 1.23%) / 1.2% = 97.5%.
    expect(flat).toContain('离网率2026年9月1.2%1.2%————97.5%接近20');
    // escalated complaints: an annual budget of 60, 50 used by September against 45 pro-rated: 88.9%, red.
    expect(flat).toContain('越级投诉量2026年度60125075.0%83.3%+8.3个百分点88.9%未达标5');
    // The commentary names the targets missed; the headline tiles carry target and attainment.
    expect(flat).toContain('万户投诉率考核完成率85.0%（目标3.00），未达标');
    expect(flat).toContain('越级投诉量考核完成率88.9%（目标60，年累计50，时序进度75.0%），未达标');
    expect(flat).toContain('完成率97.8%');
    // A city's page has no league of the cities; the province's has.
    expect(flat).not.toContain('各地市考核得分');
    const province = pdfText(await renderPdf(sampleBriefing('ALL'))).replace(/\s+/g, '');
    expect(province).toContain('各地市考核得分');
    expect(province).toContain('1杭州市104.00');
    expect(province).not.toContain('地市排名第');
  });

  it('writes the targets page in English, and a target whose actual has not arrived as not reported, not judged', async () => {
    const en = pdfText(await renderPdf(sampleBriefing(), 'en')).replace(/\s+/g, ' ');
    expect(en).toContain('Score 98.99, 4th of 11 cities');
    expect(en).toContain('Escalated complaints: 88.9% of target (target 60, year to date 50, time progress 75.0%), off target');
    expect(en.replace(/\s+/g, '')).toContain('Churnrate Sep20261.2%1.2%————97.5%Near20'.replace(/\s+/g, ''));
    const missing = pdfText(await renderPdf(sampleBriefing('330300', { complaint: ['330300'] }))).replace(/\s+/g, '');
    // No complaint figure: complaints per 10k is not judged (未评价), the ytd target judged on the months before.
    expect(missing).toContain('万户投诉率2026年度3.00未上报—————未评价10');
    expect(missing).toContain('越级投诉量2026年度60未上报4475.0%73.3%-1.7个百分点102.2%达标5');
  });
});
