import { describe, expect, it } from 'vitest';
import { NOT_REPORTED, formatValue } from '../charts/format.ts';
import { kpiLabel } from '../charts/labels.ts';
import { pdfFonts, pdfPages, pdfText } from '../test/helpers/pdf-tools.ts';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, kindOf, notReported } from './briefing.ts';
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
});
