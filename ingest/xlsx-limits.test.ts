// A workbook that expands without bound (a zip bomb) is refused with a message naming the file, by
// what its zip directory declares before reading, and by rows, cells and bytes while reading.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_LIMITS, XlsxError, declaredUnpackedBytes, xlsxToCsv } from './xlsx.ts';

let dir: string;
let bomb: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-limits-'));
  // 2,000 rows of 10 long, repetitive cells: tiny zipped, megabytes unpacked.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(Array.from({ length: 10 }, (_v, i) => `c${i}`));
  const cell = 'x'.repeat(200);
  for (let r = 0; r < 2000; r++) ws.addRow(Array.from({ length: 10 }, () => cell));
  bomb = join(dir, 'channel_ALL_202609.xlsx');
  await wb.xlsx.writeFile(bomb);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limits = (l: Partial<typeof XLSX_LIMITS>) => ({ ...XLSX_LIMITS, ...l });

describe('XLSX expansion caps', () => {
  it('reads the zip directory: the crafted workbook unpacks to far more than its size', () => {
    const declared = declaredUnpackedBytes(bomb)!;
    expect(declared).toBeGreaterThan(10 * statSync(bomb).size);
  });

  it('refuses a workbook whose declared unpacked size is over the cap, naming the file', async () => {
    const cap = Math.floor(declaredUnpackedBytes(bomb)! / 2);
    const err = await xlsxToCsv(bomb, join(dir, 'a.csv'), undefined, limits({ unpackedBytes: cap })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxError);
    expect((err as Error).message).toMatch(/^channel_ALL_202609\.xlsx: the workbook unpacks to more than .*解压/);
    expect((err as Error).message).not.toContain(dir);
  });

  it('refuses a sheet whose text (one shared string, repeated) expands past the cap while reading', async () => {
    // The zip directory is within this cap; the CSV written from the shared strings is not.
    const cap = declaredUnpackedBytes(bomb)! * 2;
    const err = await xlsxToCsv(bomb, join(dir, 'e.csv'), undefined, limits({ unpackedBytes: cap })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxError);
    expect((err as Error).message).toMatch(/^channel_ALL_202609\.xlsx: the sheet unpacks to more than/);
  });

  it('refuses a sheet over the row or cell cap while reading', async () => {
    const rows = await xlsxToCsv(bomb, join(dir, 'b.csv'), undefined, limits({ rows: 500 })).catch((e: unknown) => e);
    expect(rows).toBeInstanceOf(XlsxError);
    expect((rows as Error).message).toMatch(/^channel_ALL_202609\.xlsx: the sheet has more than 500 rows/);
    const cells = await xlsxToCsv(bomb, join(dir, 'c.csv'), undefined, limits({ cells: 5000 })).catch((e: unknown) => e);
    expect((cells as Error).message).toMatch(/more than 5000 cells/);
  });

  it('reads the same workbook under the default caps', async () => {
    const { header } = await xlsxToCsv(bomb, join(dir, 'd.csv'));
    expect(header).toHaveLength(10);
    expect(statSync(join(dir, 'd.csv')).size).toBeGreaterThan(2000 * 2000);
  });
});
