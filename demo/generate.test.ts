import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, DATA_KINDS, KINDS } from '../domain/contracts.ts';
import { generateDemoData, normalizeDemoDataOptions, type DemoDataOptions, type DemoDataSummary } from './generate.ts';
import { UserError } from '../warehouse/errors.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-data-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SMALL = { subscribers: 3000, months: 3, end: '2026-10' } as const;

async function generate(options: Omit<DemoDataOptions, 'out'>): Promise<{ dir: string; summary: DemoDataSummary }> {
  const dir = tempDir();
  return { dir, summary: await generateDemoData({ ...options, out: dir }) };
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );
}

describe('generateDemoData', () => {
  it('gives byte-identical files for the same seed and different ones for another seed', async () => {
    const a = await generate({ ...SMALL, seed: 7 });
    const b = await generate({ ...SMALL, seed: 7 });
    const c = await generate({ ...SMALL, seed: 8 });
    const ha = hashes(a.dir);
    expect(Object.keys(ha)).toHaveLength(13);
    expect(hashes(b.dir)).toEqual(ha);
    const hc = hashes(c.dir);
    expect(Object.keys(hc)).toEqual(Object.keys(ha));
    // The data differ with the seed; the targets follow the cities' sizes, which the seed does not set.
    for (const f of Object.keys(ha)) {
      if (f.startsWith('target_')) expect(hc[f], f).toBe(ha[f]);
      else expect(hc[f], f).not.toBe(ha[f]);
    }
  });

  it('writes <kind>_ALL_<YYYYMM>.csv with the contract header, and reports every file', async () => {
    const progress: [number, number][] = [];
    const dir = tempDir();
    const summary = await generateDemoData({ ...SMALL, out: dir }, { progress: (done, total) => progress.push([done, total]) });
    // Four data files a month, and one target file for the year.
    const expected = [...['202608', '202609', '202610'].flatMap((m) => DATA_KINDS.map((k) => `${k}_ALL_${m}.csv`)), 'target_ALL_2026.csv'].sort();
    expect(readdirSync(dir).sort()).toEqual(expected);
    expect(summary.periods).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(progress).toEqual(Array.from({ length: 13 }, (_, i) => [i + 1, 13]));
    for (const file of summary.files) {
      const text = readFileSync(file.path, 'utf8');
      const lines = text.split('\n');
      expect(lines[0], file.path).toBe(CONTRACTS[file.kind].columns.map((c) => c.name).join(','));
      expect(lines.at(-1)).toBe('');
      expect(lines.length - 2, file.path).toBe(file.rows);
      expect(Buffer.byteLength(text), file.path).toBe(file.bytes);
    }
    for (const kind of KINDS) {
      expect(summary.rows[kind]).toBe(summary.files.filter((f) => f.kind === kind).reduce((s, f) => s + f.rows, 0));
    }
  });

  it('ends with the last complete month in Asia/Shanghai by default and refuses bad options', () => {
    // 2026-11-30 16:30 UTC is already 1 December in Shanghai.
    expect(normalizeDemoDataOptions({ out: 'x' }, () => new Date('2026-11-30T16:30:00Z')).end).toBe('2026-11');
    expect(normalizeDemoDataOptions({ out: 'x' }, () => new Date('2026-11-26T08:00:00Z'))).toMatchObject({
      end: '2026-10',
      months: 12,
      subscribers: 200_000,
      seed: 1,
      gbk: false,
      xlsxChannels: false,
    });
    expect(normalizeDemoDataOptions({ out: 'x', end: '202603' }).end).toBe('2026-03');
    expect(() => normalizeDemoDataOptions({ out: 'x', months: 0 })).toThrow(UserError);
    expect(() => normalizeDemoDataOptions({ out: 'x', end: '2026-13' })).toThrow(/--end/);
    expect(() => normalizeDemoDataOptions({ out: 'x', subscribers: 12.5 })).toThrow(/--subscribers/);
  });
});

describe('generateDemoData export flavours', () => {
  const opts = { subscribers: 20_000, months: 1, end: '2026-10', seed: 3 } as const;
  let english: string;
  beforeAll(async () => {
    ({ dir: english } = await generate(opts));
  });

  it('writes complaint and channel files as GBK with Chinese headers and labels that mean the same rows', async () => {
    const { dir } = await generate({ ...opts, gbk: true });
    for (const kind of ['complaint', 'channel'] as const) {
      const file = `${kind}_ALL_202610.csv`;
      const raw = readFileSync(join(dir, file));
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw), file).toThrow();
      const lines = iconv.decode(raw, 'gbk').split('\n');
      const columns = CONTRACTS[kind].columns;
      expect(lines[0]).toBe(columns.map((c) => c.alias).join(','));
      const back = lines.slice(1).map((line) =>
        line
          .split(',')
          .map((v, i) => {
            const col = columns[i];
            if (v === '' || !col) return v;
            if (col.type === 'bool') return v === '是' ? 'true' : v === '否' ? 'false' : `?${v}`;
            return col.values ? (col.values.find((e) => e.label === v)?.code ?? `?${v}`) : v;
          })
          .join(','),
      );
      const expected = readFileSync(join(english, file), 'utf8').split('\n').slice(1);
      expect(expected.length).toBeGreaterThan(5);
      expect(back).toEqual(expected);
      expect(lines.slice(1).join('\n')).not.toMatch(/,(hotline|self_run_hall|billing|true|false),/);
    }
    expect(hashes(dir)['subscriber_ALL_202610.csv']).toBe(hashes(english)['subscriber_ALL_202610.csv']);
  });

  it('writes channel files as deterministic XLSX holding the same rows', async () => {
    const a = await generate({ ...opts, xlsxChannels: true });
    const b = await generate({ ...opts, xlsxChannels: true });
    expect(readdirSync(a.dir).sort()).toContain('channel_ALL_202610.xlsx');
    expect(readdirSync(a.dir)).not.toContain('channel_ALL_202610.csv');
    expect(hashes(b.dir)).toEqual(hashes(a.dir));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(a.dir, 'channel_ALL_202610.xlsx'));
    const sheet = workbook.worksheets[0];
    const rows: string[] = [];
    sheet?.eachRow({ includeEmpty: false }, (row) => {
      const cells = Array.from({ length: CONTRACTS.channel.columns.length }, (_, i) => {
        const v = row.getCell(i + 1).value;
        return typeof v === 'number' ? v.toFixed(2) : v === null || v === undefined ? '' : String(v);
      });
      rows.push(cells.join(','));
    });
    expect(rows).toEqual(readFileSync(join(english, 'channel_ALL_202610.csv'), 'utf8').trimEnd().split('\n'));
  });
});
