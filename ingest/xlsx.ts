// Streams one sheet of an XLSX workbook into a UTF-8 CSV whose first column is the sheet row number,
// so rejects can name the row Excel shows even when the sheet has blank rows.
import { closeSync, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';

export class XlsxError extends Error {
  // The name crosses a worker thread's boundary; the class does not (ingest/worker-jobs.ts).
  override name = 'XlsxError';
}

/**
 * How far a workbook may expand: a few KB of zip can unpack to gigabytes (a zip bomb). The sizes its
 * zip directory declares are checked before reading; rows, cells and the CSV written while reading.
 * Excel's own sheet holds at most 1,048,576 rows.
 */
export interface XlsxLimits {
  unpackedBytes: number;
  rows: number;
  cells: number;
}
export const XLSX_LIMITS: XlsxLimits = { unpackedBytes: 2 * 1024 ** 3, rows: 1_048_576, cells: 50_000_000 };

/** The uncompressed sizes the zip's central directory declares, summed; null when it is not a plain zip. */
export function declaredUnpackedBytes(file: string): number | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return null;
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || cdSize === 0xffffffff || cdOffset + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOffset);
    let total = 0;
    for (let at = 0; at + 46 <= cdSize && cd.readUInt32LE(at) === 0x02014b50; ) {
      const unpacked = cd.readUInt32LE(at + 24);
      // A zip64 entry is 4 GB or more.
      total += unpacked === 0xffffffff ? Infinity : unpacked;
      at += 46 + cd.readUInt16LE(at + 28) + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    return total;
  } finally {
    closeSync(fd);
  }
}

const megabytes = (n: number) => `${Math.round((n / 1024 ** 2) * 10) / 10} MB`;

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

export async function xlsxToCsv(file: string, out: string, sheetName?: string, limits: XlsxLimits = XLSX_LIMITS): Promise<{ header: string[] }> {
  const name = basename(file);
  const declared = declaredUnpackedBytes(file);
  if (declared !== null && declared > limits.unpackedBytes) {
    throw new XlsxError(`${name}: the workbook unpacks to more than ${megabytes(limits.unpackedBytes)}; refused / 工作簿解压后超过上限,拒绝读取`);
  }
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
  let written = 0;
  let rows = 0;
  let cellCount = 0;
  const flush = async () => {
    written += Buffer.byteLength(buffer);
    if (written > limits.unpackedBytes) {
      throw new XlsxError(`${name}: the sheet unpacks to more than ${megabytes(limits.unpackedBytes)}; refused / 工作表解压后超过上限,拒绝读取`);
    }
    if (!output.write(buffer)) await once(output, 'drain');
    buffer = '';
  };
  try {
    for await (const sheet of reader) {
      const title = (sheet as unknown as { name?: string }).name ?? '';
      seen.push(title);
      if (sheetName !== undefined && title !== sheetName) continue;
      for await (const row of sheet) {
        const raw = row.values as unknown[];
        rows += 1;
        cellCount += Math.max(0, raw.length - 1);
        if (rows > limits.rows || cellCount > limits.cells) {
          const what = rows > limits.rows ? `${limits.rows} rows` : `${limits.cells} cells`;
          throw new XlsxError(`${name}: the sheet has more than ${what}; refused / 工作表行数或单元格数超过上限,拒绝读取`);
        }
        const values = raw.slice(1).map(cellText);
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
