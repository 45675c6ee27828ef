// File output for the demo data: CSV written in ~1 MB chunks straight to a file descriptor (a
// 6-million-row revenue file never exists as one string), optionally GBK-encoded as real BSS exports
// are; and small XLSX files whose bytes depend only on their content.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const CHUNK_CHARS = 1 << 20;

export type CsvEncoding = 'utf8' | 'gbk';

export interface WrittenFile {
  rows: number;
  bytes: number;
}

/** Quotes a CSV field only when it would otherwise be misread. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CsvWriter {
  private pending: string;
  private rows = 0;
  private bytes = 0;

  private constructor(
    private readonly fd: number,
    header: readonly string[],
    private readonly encoding: CsvEncoding,
  ) {
    this.pending = `${header.map(csvField).join(',')}\n`;
  }

  /** Opens `path`, hands the writer to `fill`, and always closes the file, also when `fill` throws. */
  static write(path: string, header: readonly string[], encoding: CsvEncoding, fill: (w: CsvWriter) => void): WrittenFile {
    const writer = new CsvWriter(openSync(path, 'w'), header, encoding);
    try {
      fill(writer);
      writer.flush();
    } finally {
      closeSync(writer.fd);
    }
    return { rows: writer.rows, bytes: writer.bytes };
  }

  /** One already-formatted line ending in '\n' (the hot path: callers know their fields need no quoting). */
  line(text: string): void {
    this.pending += text;
    this.rows++;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  fields(values: readonly string[]): void {
    this.line(`${values.map(csvField).join(',')}\n`);
  }

  private flush(): void {
    if (this.pending === '') return;
    const buf = this.encoding === 'gbk' ? iconv.encode(this.pending, 'gbk') : Buffer.from(this.pending, 'utf8');
    this.pending = '';
    let offset = 0;
    while (offset < buf.length) offset += writeSync(this.fd, buf, offset);
    this.bytes += buf.length;
  }
}

/**
 * Writes a one-sheet workbook. ExcelJS stamps the zip entries with the wall-clock time, so the
 * entries are re-stamped with `stamp` afterwards: the same rows must give the same bytes.
 */
export async function writeXlsx(
  path: string,
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
  stamp: Date,
): Promise<WrittenFile> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'demo-data';
  workbook.lastModifiedBy = 'demo-data';
  workbook.created = stamp;
  workbook.modified = stamp;
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow([...row]);
  const buf = Buffer.from(await workbook.xlsx.writeBuffer());
  restampZip(buf, stamp);
  writeFileSync(path, buf);
  return { rows: rows.length, bytes: buf.length };
}

/** Sets the DOS time and date of every entry, in the central directory and in each local header. */
function restampZip(buf: Buffer, stamp: Date): void {
  const dosTime = (stamp.getUTCHours() << 11) | (stamp.getUTCMinutes() << 5) | (stamp.getUTCSeconds() >> 1);
  const dosDate = ((stamp.getUTCFullYear() - 1980) << 9) | ((stamp.getUTCMonth() + 1) << 5) | stamp.getUTCDate();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('malformed zip central directory');
    buf.writeUInt16LE(dosTime, at + 12);
    buf.writeUInt16LE(dosDate, at + 14);
    const local = buf.readUInt32LE(at + 42);
    buf.writeUInt16LE(dosTime, local + 10);
    buf.writeUInt16LE(dosDate, local + 12);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
}
