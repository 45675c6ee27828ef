// One entry for both formats and both languages: BriefingData → bytes. Pure (no warehouse, no clock), so it runs
// alike in the CLI's process and in the server's worker thread.
import type { Lang } from '../charts/format.ts';
import type { BriefingData } from './briefing.ts';
import { renderPdf } from './pdf.ts';
import { renderXlsx } from './xlsx.ts';

export type BriefingFormat = 'pdf' | 'xlsx';

export const CONTENT_TYPES: Record<BriefingFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file a briefing is saved as: briefing_330300_2026-09.pdf, the English edition briefing_330300_2026-09_en.pdf. */
export function briefingFileName(region: string, period: string, format: BriefingFormat, lang: Lang = 'zh'): string {
  return `briefing_${region}_${period}${lang === 'zh' ? '' : `_${lang}`}.${format}`;
}

export function renderBriefing(data: BriefingData, format: BriefingFormat, lang: Lang = 'zh'): Promise<Uint8Array> {
  return format === 'pdf' ? renderPdf(data, lang) : renderXlsx(data, lang);
}
