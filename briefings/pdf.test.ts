import { describe, expect, it } from 'vitest';
import { formatValue } from '../charts/format.ts';
import { pdfFonts, pdfPages, pdfText } from '../test/helpers/pdf-tools.ts';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import { HEADLINE_KEYS, kindOf } from './briefing.ts';
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
});
