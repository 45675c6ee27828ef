// One entry for both formats: BriefingData → bytes. Pure (no warehouse, no clock), so it runs
// alike in the CLI's process and in the server's worker thread.
import type { BriefingData } from './briefing.ts';
import { renderPdf } from './pdf.ts';
import { renderXlsx } from './xlsx.ts';

export type BriefingFormat = 'pdf' | 'xlsx';

export const CONTENT_TYPES: Record<BriefingFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function renderBriefing(data: BriefingData, format: BriefingFormat): Promise<Uint8Array> {
  return format === 'pdf' ? renderPdf(data) : renderXlsx(data);
}
