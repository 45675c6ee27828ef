// CSV for Excel: UTF-8 with a byte-order mark (without it Excel on a Chinese Windows reads the file
// as GBK and the Chinese turns to mojibake), CRLF line ends, RFC 4180 quoting.
import { shanghaiTimestamp } from '../../domain/time.ts';

const BOM = '\uFEFF';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

/** Saves a Blob under a file name through a temporary link (works in every current browser). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 'query-20260930-140509' in Shanghai time, for export file names. */
export function exportName(now = new Date()): string {
  return `query-${shanghaiTimestamp(now).replace(/[-:]/g, '').replace(' ', '-')}`;
}
