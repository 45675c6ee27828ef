// GET /api/briefings/{region}/{YYYY-MM}.pdf|.xlsx over a real server with the real renderer: who may
// fetch what, strict parameters, content types, values equal to /api/kpis, the cache on re-download.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, kindOf } from '../briefings/briefing.ts';
import { BriefingService } from '../briefings/cache.ts';
import { SHEETS, SHEET_NAMES } from '../briefings/xlsx.ts';
import { formatValue } from '../charts/format.ts';
import { foreignNames, xlsxText } from './helpers/briefing-scope.ts';
import { pdfText } from './helpers/pdf-tools.ts';
import { type TestServer, type TestUser, testServer } from './helpers/test-server.ts';

let ts: TestServer;
const service = new BriefingService();

beforeAll(async () => {
  // With the server file, as `npm run serve` leaves it: the CLI then goes through the server.
  ts = await testServer({ demo: true, serverFile: true, briefings: (wh, region, period, format, lang) => service.get(wh, region, period, format, lang) });
}, 120_000);

afterAll(async () => {
  await ts?.close();
  await service.close();
});

const get = (path: string, as: TestUser | null) => ts.fetch(path, { as });

async function kpis(region: string, as: TestUser): Promise<Record<string, number | null>> {
  const res = await get(`/api/kpis?period=2026-09&region=${region}`, as);
  expect(res.status).toBe(200);
  return ((await res.json()) as { kpis: Record<string, number | null> }).kpis;
}

describe('GET /api/briefings/{region}/{YYYY-MM}.pdf|.xlsx', () => {
  it('gives a regional user their own city: a PDF whose headline values are those of /api/kpis', async () => {
    const res = await get('/api/briefings/330300/2026-09.pdf', 'wenzhou');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(res.headers.get('content-disposition')).toContain('briefing_330300_2026-09.pdf');
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('温州市');
    expect(text).toContain('2026年9月');
    const figures = await kpis('330300', 'wenzhou');
    for (const key of HEADLINE_KEYS) expect(text, key).toContain(formatValue(figures[key], kindOf(key), 'zh'));
  });

  it('gives a regional user a PDF and an XLSX that name no other city and no province figure', async () => {
    const pdf = await get('/api/briefings/330300/2026-09.pdf', 'wenzhou');
    const xlsx = await get('/api/briefings/330300/2026-09.xlsx', 'wenzhou');
    expect([pdf.status, xlsx.status]).toEqual([200, 200]);
    for (const text of [pdfText(new Uint8Array(await pdf.arrayBuffer())), await xlsxText(new Uint8Array(await xlsx.arrayBuffer()))]) {
      expect(text).toContain('温州市');
      expect(foreignNames(text, '330300')).toEqual([]);
    }
  });

  it('gives an executive the province XLSX, its figures the numbers of /api/kpis', async () => {
    const res = await get('/api/briefings/ALL/2026-09.xlsx', 'exec');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const figures = await kpis('ALL', 'exec');
    const headline = wb.getWorksheet(SHEETS.headline)!;
    HEADLINE_KEYS.forEach((key, i) => expect(headline.getRow(i + 2).getCell(3).value, key).toBe(figures[key]));
  });

  it('ranks the city as GET /api/kpis/ranking does (rank 1 = the best by direction), and holds the new channel and complaint figures of /api/kpis', async () => {
    const res = await get('/api/briefings/330300/2026-09.xlsx', 'wenzhou');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const headline = wb.getWorksheet(SHEETS.headline)!;
    for (const [i, key] of HEADLINE_KEYS.entries()) {
      const ranking = await get(`/api/kpis/ranking?key=${key}&period=2026-09`, 'admin');
      expect(ranking.status).toBe(200);
      const { rows } = (await ranking.json()) as { rows: { region_code: string; rank: number | null }[] };
      expect(headline.getRow(i + 2).getCell(8).value ?? null, key).toBe(rows.find((r) => r.region_code === '330300')!.rank);
    }
    const figures = await kpis('330300', 'wenzhou');
    for (const [name, keys] of [
      [SHEETS.channelFocus, CHANNEL_KEYS],
      [SHEETS.complaintFocus, COMPLAINT_KEYS],
    ] as const) {
      const ws = wb.getWorksheet(name)!;
      keys.forEach((key, i) => expect(ws.getRow(i + 2).getCell(3).value, key).toBe(figures[key]));
    }
  });

  it('gives the English edition with ?lang=en: an English file name, English text, the figures of /api/kpis; Chinese stays the default', async () => {
    const res = await get('/api/briefings/330300/2026-09.pdf?lang=en', 'wenzhou');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('briefing_330300_2026-09_en.pdf');
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text.match(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g)).toBeNull();
    expect(text).toContain('Wenzhou');
    expect(text).toContain('Sep 2026');
    const figures = await kpis('330300', 'wenzhou');
    for (const key of HEADLINE_KEYS) expect(text, key).toContain(formatValue(figures[key], kindOf(key), 'en'));
    const xlsx = await get('/api/briefings/330300/2026-09.xlsx?lang=en', 'wenzhou');
    expect(xlsx.headers.get('content-disposition')).toContain('briefing_330300_2026-09_en.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.getWorksheet(SHEET_NAMES.en.headline)!.getRow(2).getCell(3).value).toBe(figures.active_subscriptions);
    // ?lang=zh is the default edition, byte for byte.
    const zh = Buffer.from(await (await get('/api/briefings/330300/2026-09.pdf?lang=zh', 'wenzhou')).arrayBuffer());
    const plain = Buffer.from(await (await get('/api/briefings/330300/2026-09.pdf', 'wenzhou')).arrayBuffer());
    expect(zh.equals(plain)).toBe(true);
  });

  it('gives a regional user an English PDF and XLSX that name no other city and no province figure', async () => {
    for (const format of ['pdf', 'xlsx'] as const) {
      const res = await get(`/api/briefings/330300/2026-09.${format}?lang=en`, 'wenzhou');
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const text = format === 'pdf' ? pdfText(bytes) : await xlsxText(bytes);
      expect(text).toContain('Wenzhou');
      expect(foreignNames(text, '330300'), format).toEqual([]);
    }
    expect((await get('/api/briefings/330100/2026-09.pdf?lang=en', 'wenzhou')).status).toBe(403);
    expect((await get('/api/briefings/ALL/2026-09.xlsx?lang=en', 'wenzhou')).status).toBe(403);
  });

  it('refuses a regional user another city and the province (403), and anyone without a session (401)', async () => {
    expect((await get('/api/briefings/330100/2026-09.pdf', 'wenzhou')).status).toBe(403);
    expect((await get('/api/briefings/ALL/2026-09.pdf', 'wenzhou')).status).toBe(403);
    expect((await get('/api/briefings/ALL/2026-09.xlsx', 'wenzhou')).status).toBe(403);
    expect((await get('/api/briefings/330300/2026-09.pdf', null)).status).toBe(401);
  });

  it('answers 400 to a malformed region, month or format, before looking at the role', async () => {
    for (const path of [
      '/api/briefings/..%2F/2026-09.pdf',
      '/api/briefings/..%2F..%2Fetc/2026-09.pdf',
      '/api/briefings/330300/2026-13.pdf',
      '/api/briefings/330300;/2026-09.pdf',
      '/api/briefings/330300/2026-09.pdf%00.xlsx',
      '/api/briefings/330300/2026-09.docx',
      '/api/briefings/999999/2026-09.pdf',
      '/api/briefings/330300/2026-09.pdf?x=1',
      '/api/briefings/330300/2026-09.pdf?lang=fr',
      '/api/briefings/330300/2026-09.pdf?lang=en&lang=zh',
    ]) {
      const res = await get(path, 'wenzhou');
      expect(res.status, path).toBe(400);
      expect(await res.json()).toHaveProperty('error');
    }
  });

  it('serves a re-download from the cache', async () => {
    const first = await get('/api/briefings/330300/2026-09.xlsx', 'admin');
    expect(first.status).toBe(200);
    const bytes = Buffer.from(await first.arrayBuffer());
    const renders = service.stats().renders;
    const again = await get('/api/briefings/330300/2026-09.xlsx', 'admin');
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
    expect(service.stats().renders).toBe(renders);
  });
});

/** The CLI in a child process, asynchronously: the server it talks to runs in this one. */
function briefingsCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'cli/briefings.ts', ...args], { cwd: join(import.meta.dirname, '..') }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run briefings', () => {
  it('fetches the briefings from the server that holds the warehouse, and writes them', async () => {
    const out = join(ts.dir, 'briefings-out');
    const r = await briefingsCli(['--db', ts.path, '--period', '2026-09', '--region', '330300', '--out', out]);
    expect(r.stderr).toContain('1/1');
    expect(r.code).toBe(0);
    const files = ['pdf', 'xlsx'].map((ext) => join(out, `briefing_330300_2026-09.${ext}`));
    expect(r.stdout.trim().split('\n')).toEqual(files);
    const served = await get('/api/briefings/330300/2026-09.pdf', 'admin');
    expect(readFileSync(files[0]!).equals(Buffer.from(await served.arrayBuffer()))).toBe(true);
  });

  it('writes the English edition with --lang en, the bytes the server serves for ?lang=en', async () => {
    const out = join(ts.dir, 'briefings-en');
    const r = await briefingsCli(['--db', ts.path, '--period', '2026-09', '--region', '330300', '--lang', 'en', '--out', out]);
    expect(r.code).toBe(0);
    const files = ['pdf', 'xlsx'].map((ext) => join(out, `briefing_330300_2026-09_en.${ext}`));
    expect(r.stdout.trim().split('\n')).toEqual(files);
    const served = await get('/api/briefings/330300/2026-09.pdf?lang=en', 'admin');
    expect(readFileSync(files[0]!).equals(Buffer.from(await served.arrayBuffer()))).toBe(true);
    expect(pdfText(readFileSync(files[0]!))).toContain('Wenzhou branch');
  });

  it('exits 2 on a malformed month or region, without writing anything', async () => {
    expect((await briefingsCli(['--db', ts.path, '--period', '2026-09', '--lang', 'fr', '--out', ts.dir])).code).toBe(2);
    expect((await briefingsCli(['--db', ts.path, '--period', '2026-13', '--out', ts.dir])).code).toBe(2);
    expect((await briefingsCli(['--db', ts.path, '--period', '2026-09', '--region', '../x', '--out', ts.dir])).code).toBe(2);
  });
});
