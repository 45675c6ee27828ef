// Streams one sheet of an XLSX workbook into a UTF-8 CSV whose first column is the sheet row number,
// so rejects can name the row Excel shows even when the sheet has blank rows.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';

export class XlsxError extends Error {
  // The name crosses a worker thread's boundary; the class does not (ingest/worker-jobs.ts).
  override name = 'XlsxError';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** exceljs gives dates as UTC instants holding the wall-clock time typed in the sheet. */
function dateText(d: Date): string {
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return day;
  return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function xlsxToCsv(file: string, out: string, sheetName?: string): Promise<{ header: string[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const output = createWriteStream(out);
  let header: string[] | null = null;
  const seen: string[] = [];
  let buffer = '';
  const flush = async () => {
    if (!output.write(buffer)) await once(output, 'drain');
    buffer = '';
  };
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? '';
      seen.push(name);
      if (sheetName !== undefined && name !== sheetName) continue;
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (!header) {
          if (values.every((v) => v.trim() === '')) continue;
          header = values;
          buffer += ['__line', ...header.map((_, i) => `c${i}`)].join(',') + '\n';
          continue;
        }
        if (values.every((v) => v.trim() === '')) continue;
        const cells = header.map((_, i) => csvField(values[i] ?? ''));
        buffer += `${row.number},${cells.join(',')}\n`;
        if (buffer.length > 1 << 20) await flush();
      }
      break; // first sheet, or the named one
    }
    await flush();
  } finally {
    output.end();
    await once(output, 'close');
  }
  if (!header) {
    if (sheetName !== undefined && !seen.includes(sheetName)) {
      throw new XlsxError(`no sheet named '${sheetName}' (sheets: ${seen.join(', ') || 'none'}) / 找不到工作表`);
    }
    throw new XlsxError('the sheet is empty: no header row / 工作表为空');
  }
  return { header };
}
