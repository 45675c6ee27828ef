import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { FIXTURES, tempWarehouse } from '../test/helpers/temp-warehouse.ts';
import { ingestFile } from './load.ts';
import { channelWorkbook } from '../test/fixtures/channel-workbook.ts';

const fx = (name: string) => join(FIXTURES, 'ingest', name);

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
let wh: Warehouse;
beforeAll(async () => {
  ctx = await tempWarehouse();
  wh = ctx.wh;
});
afterAll(() => ctx.dispose());

async function rejectsOf(loadId: number | null) {
  return wh.all<{ line: bigint; column: string; value: string | null; reason: string; message: string }>(
    `select line, "column", value, reason, message from rejects where load_id = $id order by line, "column"`,
    { id: loadId },
  );
}
const brief = (rows: { line: bigint; column: string; reason: string }[]) => rows.map((r) => [Number(r.line), r.column, r.reason]);

async function rawCount(table: string, where = 'true'): Promise<number> {
  return Number((await wh.one<{ n: bigint }>(`select count(*) as n from ${table} where ${where}`))!.n);
}

describe('ingestFile: formats and headers', () => {
  it('loads an English CSV with typed values, one slice per (region, period), and records the load', async () => {
    const r = await ingestFile(wh, fx('subscriber_ALL_202609.csv'));
    expect(r).toMatchObject({ status: 'loaded', kind: 'subscriber', rows_loaded: 5, rows_rejected: 0 });
    expect(r.slices).toEqual([
      { region_code: '330100', period: '2026-09' },
      { region_code: '330300', period: '2026-09' },
    ]);
    const m2 = await wh.one<{ terminated_on: Date; line: bigint; bundle_id: string | null }>(
      `select terminated_on, line, bundle_id from raw_subscriber where subscription_id = 'M2'`,
    );
    expect(m2?.terminated_on.toISOString().slice(0, 10)).toBe('2026-09-10');
    expect(m2?.line).toBe(4n);
    expect(m2?.bundle_id).toBeNull();
    const load = await wh.one<{ status: string; rows_loaded: bigint; sha256: string }>(
      `select status, rows_loaded, sha256 from loads where load_id = $id`,
      { id: r.load_id },
    );
    expect(load).toMatchObject({ status: 'loaded', rows_loaded: 5n });
    expect(load?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads Chinese headers in any order, Chinese enum labels, the three date formats, and keeps extra columns', async () => {
    // Header cells carry surrounding spaces and the file starts with a UTF-8 BOM.
    const { dir } = ctx;
    const withBom = join(dir, 'subscriber_330300_202609_bom.csv');
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(await import('node:fs').then((f) => f.readFileSync(fx('subscriber_330300_202609_zh.csv'))))]));
    const r = await ingestFile(wh, withBom);
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 4, rows_rejected: 0 });
    const rows = await wh.all<{ subscription_id: string; segment: string; service: string; activated_on: Date; terminated_on: Date | null; extra: string | null }>(
      `select subscription_id, segment, service, activated_on, terminated_on, extra::varchar as extra from raw_subscriber where load_id = $id order by line`,
      { id: r.load_id },
    );
    expect(rows.map((x) => [x.subscription_id, x.segment, x.service])).toEqual([
      ['M1', 'personal', 'mobile'],
      ['B1', 'household', 'broadband'],
      ['F1', 'enterprise', 'fixed_voice'],
      ['I7', 'personal', 'iptv'],
    ]);
    const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
    expect(rows.map((x) => day(x.activated_on))).toEqual(['2020-01-15', '2020-01-15', '2021-06-30', '2026-09-05']);
    expect(day(rows[2]!.terminated_on)).toBe('2026-09-12');
    expect(JSON.parse(rows[0]!.extra!)).toEqual({ 备注: '老用户' });
  });

  it('detects a GBK file with Chinese headers, and accepts --encoding gbk declared', async () => {
    const text = (await import('node:fs')).readFileSync(fx('subscriber_330300_202609_zh.csv'), 'utf8').replace(/F1/g, 'G1').replace(/I7/g, 'G7').replace(/M1,/g, 'G8,').replace(/B1,/g, 'G9,');
    const gbk = join(ctx.dir, 'subscriber_330400_202608_gbk.csv');
    writeFileSync(gbk, iconv.encode(text.replace(/330300/g, '330400').replace(/202609/g, '202608'), 'gbk'));
    const r = await ingestFile(wh, gbk);
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 4, rows_rejected: 0 });
    expect(await wh.one(`select encoding from loads where load_id = $id`, { id: r.load_id })).toEqual({ encoding: 'gb18030' });
    const seg = await wh.all<{ segment: string }>(`select segment from raw_subscriber where load_id = $id order by line`, { id: r.load_id });
    expect(seg.map((s) => s.segment)).toEqual(['personal', 'household', 'enterprise', 'personal']);

    const declared = join(ctx.dir, 'subscriber_330500_202608_gbk.csv');
    writeFileSync(declared, iconv.encode(text.replace(/330300/g, '330500').replace(/202609/g, '202608').replace(/G(\d)/g, 'H$1'), 'gbk'));
    const r2 = await ingestFile(wh, declared, { encoding: 'gb18030' });
    expect(r2).toMatchObject({ status: 'loaded', rows_loaded: 4 });
  });

  it('reads the first sheet of an XLSX, naming rejects by the sheet row even across blank rows', async () => {
    const { wb, ws } = channelWorkbook();
    ws.addRow(['2026-08', 'X3', '台州坏日期', '二类社会渠道', '331000', '否', '2010-13-01', null, 5]);
    for (let i = 4; i <= 30; i++) ws.addRow(['2026-08', `X${i}`, `台州点${i}`, '三类社会渠道', '331000', '否', '2018-01-01', null, 1]);
    const file = join(ctx.dir, 'channel_331000_202608.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await ingestFile(wh, file);
    expect(r).toMatchObject({ status: 'loaded', kind: 'channel', rows_loaded: 29, rows_rejected: 1 });
    expect(brief(await rejectsOf(r.load_id))).toEqual([[5, 'opened_on', 'bad_date']]);
    const x1 = await wh.one<{ commission: number; opened_on: Date; exclusive: boolean; line: bigint }>(
      `select commission, opened_on, exclusive, line from raw_channel where channel_id = 'X1' and load_id = $id`,
      { id: r.load_id },
    );
    expect(x1).toMatchObject({ commission: 1200.5, exclusive: true, line: 2n });
    expect(x1?.opened_on.toISOString().slice(0, 10)).toBe('2015-05-01');
    expect(await wh.one(`select line from raw_channel where channel_id = 'X2'`)).toEqual({ line: 4n });
  });

  it('reads the sheet named by --sheet, and refuses a missing sheet by name', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本文件为投诉明细']);
    const ws = wb.addWorksheet('明细');
    ws.addRow(['complaint_id', 'received_at', 'region_code', 'category', 'source']);
    ws.addRow(['XQ1', '2026-08-03 09:00', '331100', 'billing', 'hotline']);
    const file = join(ctx.dir, 'complaint_331100_202608.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await ingestFile(wh, file, { sheet: '明细' });
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 1 });
    const missing = await ingestFile(wh, file, { sheet: 'Sheet9' });
    expect(missing.status).toBe('refused');
    expect(missing.message).toMatch(/Sheet9/);
  });

  it('reads Parquet, numbering rows as index + 2', async () => {
    const file = join(ctx.dir, 'revenue_330600_202608.parquet');
    await wh.run(`copy (select * from (values
        ('2026-08', 'PQ1', 'PC1', '330600', 'mobile', 'rental', 30.00::decimal(18,2), 5.00::decimal(18,2)),
        ('2026-08', 'PQ1', 'PC1', '330600', 'mobile', 'data', 12.50::decimal(18,2), null),
        ('2026-08', 'PQ2', 'PC2', '330600', 'telegraph', 'rental', 9.00::decimal(18,2), 0::decimal(18,2))
      ) t(period, subscription_id, customer_id, region_code, service, item, amount, discount)) to '${file}' (format parquet)`);
    const r = await ingestFile(wh, file, { rejectThreshold: 0.5 });
    expect(r).toMatchObject({ status: 'loaded', kind: 'revenue', rows_loaded: 2, rows_rejected: 1 });
    expect(brief(await rejectsOf(r.load_id))).toEqual([[4, 'service', 'bad_enum']]);
    const sum = await wh.one<{ amount: number; discount: number }>(
      `select sum(amount)::double as amount, sum(discount)::double as discount from raw_revenue where load_id = $id`,
      { id: r.load_id },
    );
    expect(sum).toEqual({ amount: 42.5, discount: 5 });
  });
});

describe('ingestFile: row rules', () => {
  it('rejects bad enums, bad dates, date order, unknown regions, empty required cells and keys repeated in the file', async () => {
    const r = await ingestFile(wh, fx('subscriber_330300_202610_bad.csv'), { rejectThreshold: 0.9 });
    expect(r.status).toBe('loaded');
    const rejects = await rejectsOf(r.load_id);
    expect(brief(rejects)).toEqual([
      [3, 'segment', 'bad_enum'],
      [4, 'activated_on', 'bad_date'],
      [5, 'terminated_on', 'date_order'],
      [6, 'region_code', 'unknown_region'],
      [7, 'subscription_id', 'duplicate_key'],
      [8, 'subscription_id', 'duplicate_key'],
      [9, 'customer_id', 'required'],
    ]);
    expect(r).toMatchObject({ rows_loaded: 4, rows_rejected: 7 });
    const seg = rejects.find((x) => x.reason === 'bad_enum')!;
    expect(seg.value).toBe('student');
    expect(seg.message).toMatch(/'student' is not a valid segment \(客户群\)/);
    expect(rejects.find((x) => x.reason === 'unknown_region')!.value).toBe('999999');
    expect(rejects.find((x) => x.line === 7n)!.value).toBe('2026-10 / S06');
  });

  it('applies the channel rules: exclusive only for social channels, commission ≥ 0 and 0 for self-run, money format', async () => {
    const r = await ingestFile(wh, fx('channel_ALL_202609.csv'), { rejectThreshold: 0.9 });
    expect(brief(await rejectsOf(r.load_id))).toEqual([
      [5, 'exclusive', 'bad_value'],
      [6, 'exclusive', 'required'],
      [7, 'commission', 'bad_value'],
      [8, 'commission', 'bad_value'],
      [9, 'commission', 'bad_number'],
    ]);
    const ch2 = await wh.one<{ commission: number; exclusive: boolean }>(`select commission, exclusive from raw_channel where channel_id = 'CH2' and load_id = $id`, { id: r.load_id });
    expect(ch2).toEqual({ commission: 12345.6, exclusive: true });
  });

  it('applies the complaint rules: timestamps in three forms, period from received_at, resolved before received', async () => {
    const r = await ingestFile(wh, fx('complaint_330300_202609.csv'), { rejectThreshold: 0.9 });
    expect(brief(await rejectsOf(r.load_id))).toEqual([
      [4, 'resolved_at', 'date_order'],
      [5, 'sla_hours', 'bad_value'],
    ]);
    const rows = await wh.all<{ complaint_id: string; period: Date; received_at: Date; category: string; source: string; sla_hours: number | null }>(
      `select complaint_id, period, received_at, category, source, sla_hours from raw_complaint where load_id = $id order by line`,
      { id: r.load_id },
    );
    expect(rows.map((x) => [x.complaint_id, x.period.toISOString().slice(0, 7), x.received_at.toISOString().slice(0, 19), x.source])).toEqual([
      ['Q1', '2026-09', '2026-09-01T08:30:00', 'hotline'],
      ['Q2', '2026-09', '2026-09-30T23:10:05', 'media'],
    ]);
    expect(rows[0]!.sla_hours).toBeNull();
  });

  it('applies the revenue rules: thousands separators, at most 2 decimals, discount ≥ 0 and empty = 0', async () => {
    const r = await ingestFile(wh, fx('revenue_330300_202609.csv'), { rejectThreshold: 0.9 });
    expect(brief(await rejectsOf(r.load_id))).toEqual([
      [6, 'amount', 'bad_number'],
      [7, 'discount', 'bad_value'],
    ]);
    const rows = await wh.all<{ item: string; amount: string; discount: string }>(
      `select item, amount::varchar as amount, discount::varchar as discount from raw_revenue where load_id = $id order by line`,
      { id: r.load_id },
    );
    expect(rows).toEqual([
      { item: 'rental', amount: '1058.00', discount: '10.50' },
      { item: 'data', amount: '20.00', discount: '0.00' },
      { item: 'broadband_fee', amount: '100.00', discount: '30.00' },
      { item: 'other', amount: '-15.20', discount: '0.00' },
    ]);
    const types = await wh.all<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_name = 'raw_revenue' and column_name in ('amount', 'discount') order by 1`,
    );
    expect(types.map((t) => t.data_type)).toEqual(['DECIMAL(18,2)', 'DECIMAL(18,2)']);
  });

  it('refuses a file whose rejects exceed the threshold: nothing loaded, rejects still reported', async () => {
    const before = await rawCount('raw_subscriber', `period = date '2026-10-01'`);
    const copy = join(ctx.dir, 'subscriber_330300_202610.csv');
    const text = (await import('node:fs')).readFileSync(fx('subscriber_330300_202610_bad.csv'), 'utf8').replace(/2026-10/g, '2026-11');
    writeFileSync(copy, text);
    const refused = await ingestFile(wh, copy);
    expect(refused).toMatchObject({ status: 'refused', rows_loaded: 0, rows_rejected: 7 });
    expect(refused.message).toMatch(/7 of 11 rows/);
    expect(await rawCount('raw_subscriber', `period = date '2026-11-01'`)).toBe(0);
    expect(await rawCount('raw_subscriber', `period = date '2026-10-01'`)).toBe(before);
    expect((await rejectsOf(refused.load_id)).length).toBe(7);
    expect(await wh.one(`select status from loads where load_id = $id`, { id: refused.load_id })).toEqual({ status: 'refused' });
  });
});

describe('ingestFile: duplicates and re-sends', () => {
  it('skips the same bytes loaded twice, naming the earlier load', async () => {
    const copy = join(ctx.dir, 'subscriber_copy.csv');
    copyFileSync(fx('subscriber_ALL_202609.csv'), copy);
    const first = (await wh.one<{ load_id: bigint }>(`select min(load_id) as load_id from loads where status = 'loaded' and kind = 'subscriber'`))!;
    const before = await rawCount('raw_subscriber');
    const r = await ingestFile(wh, copy);
    expect(r.status).toBe('duplicate');
    expect(r.load_id).toBe(Number(first.load_id));
    expect(r.message).toMatch(/already loaded/);
    expect(await rawCount('raw_subscriber')).toBe(before);
  });

  it('replaces exactly the slice a corrected re-send covers, and records which load lost which slice', async () => {
    const head = 'period,subscription_id,customer_id,segment,region_code,service,activated_on,terminated_on';
    const all = join(ctx.dir, 'subscriber_ALL_202607.csv');
    writeFileSync(all, [head, '2026-07,R1,C1,personal,330900,mobile,2020-01-01,', '2026-07,R2,C2,personal,330900,mobile,2020-01-01,',
      '2026-07,R3,C3,personal,331000,mobile,2020-01-01,', '2026-06,R4,C4,personal,330900,mobile,2020-01-01,'].join('\n') + '\n');
    const first = await ingestFile(wh, all);
    expect(first.slices).toEqual([
      { region_code: '330900', period: '2026-06' },
      { region_code: '330900', period: '2026-07' },
      { region_code: '331000', period: '2026-07' },
    ]);
    const fix = join(ctx.dir, 'subscriber_330900_202607.csv');
    writeFileSync(fix, [head, '2026-07,R1,C1,personal,330900,mobile,2020-01-01,2026-07-15', '2026-07,R5,C5,household,330900,iptv,2026-07-02,'].join('\n') + '\n');
    const r = await ingestFile(wh, fix);
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 2 });
    expect(r.slices).toEqual([{ region_code: '330900', period: '2026-07' }]);
    const ids = await wh.all<{ k: string }>(
      `select region_code || ':' || strftime(period, '%Y-%m') || ':' || subscription_id || ':' || load_id as k from raw_subscriber
       where region_code in ('330900', '331000') and period between date '2026-06-01' and date '2026-07-01' order by 1`,
    );
    expect(ids.map((x) => x.k)).toEqual([
      `330900:2026-06:R4:${first.load_id}`,
      `330900:2026-07:R1:${r.load_id}`,
      `330900:2026-07:R5:${r.load_id}`,
      `331000:2026-07:R3:${first.load_id}`,
    ]);
    const slices = await wh.all<{ k: string }>(
      `select region_code || ':' || strftime(period, '%Y-%m') || ':' || coalesce(superseded_by_load::varchar, '-') as k from load_slices where load_id = $id order by 1`,
      { id: first.load_id },
    );
    expect(slices.map((x) => x.k)).toEqual(['330900:2026-06:-', `330900:2026-07:${r.load_id}`, '331000:2026-07:-']);
  });

  it('rejects a key that stays in the warehouse from another region of the same period', async () => {
    const file = join(ctx.dir, 'subscriber_330200_202609.csv');
    const rows = ['period,subscription_id,customer_id,segment,region_code,service,activated_on', '2026-09,M3,C77,personal,330200,mobile,2022-01-01'];
    for (let i = 0; i < 30; i++) rows.push(`2026-09,N${i},C${i},personal,330200,mobile,2022-01-01`);
    writeFileSync(file, rows.join('\n') + '\n');
    const r = await ingestFile(wh, file);
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 30, rows_rejected: 1 });
    const [rej] = await rejectsOf(r.load_id);
    expect(rej).toMatchObject({ line: 2n, column: 'subscription_id', reason: 'duplicate_key' });
    expect(rej!.message).toMatch(/region 330100, 2026-09/);
    expect(await wh.one(`select rows from load_slices where load_id = $id`, { id: r.load_id })).toEqual({ rows: 30n });
  });
});

describe('ingestFile: refusals', () => {
  it('refuses a missing file, an unknown kind and a missing required column, each with a clear message', async () => {
    const missing = await ingestFile(wh, join(ctx.dir, 'subscriber_nowhere.csv'));
    expect(missing).toMatchObject({ status: 'refused', kind: 'subscriber' });
    expect(missing.message).toMatch(/cannot read/);
    const noKind = join(ctx.dir, 'extract_202609.csv');
    writeFileSync(noKind, 'a,b\n1,2\n');
    const r = await ingestFile(wh, noKind);
    expect(r).toMatchObject({ status: 'refused', kind: null });
    expect(r.message).toMatch(/no kind/);
    const noCol = join(ctx.dir, 'revenue_bad.csv');
    writeFileSync(noCol, 'period,subscription_id,customer_id,region_code,service,item\n2026-09,S,C,330300,mobile,rental\n');
    const r2 = await ingestFile(wh, noCol);
    expect(r2.status).toBe('refused');
    expect(r2.message).toMatch(/missing required column\(s\).*amount \(应收金额\)/);
  });

  it('refuses a malformed CSV naming the line, and loads nothing of it', async () => {
    const file = join(ctx.dir, 'complaint_330700_202609.csv');
    writeFileSync(file, 'complaint_id,received_at,region_code,category,source\nZ1,2026-09-01 10:00,330700,billing,hotline\nZ2,2026-09-01 10:00,330700,billing,hotline,extra,cells\n');
    const r = await ingestFile(wh, file);
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/line 3/);
    expect(await rawCount('raw_complaint', `complaint_id like 'Z%'`)).toBe(0);
  });
});

describe('ingestFile: empty slices', () => {
  const subHead = 'period,subscription_id,customer_id,segment,region_code,service,activated_on,terminated_on';
  const cplHead = 'complaint_id,received_at,region_code,category,source';
  const write = (name: string, lines: string[]) => {
    const file = join(ctx.dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const liveSlices = async (kind: string, period: string) =>
    (
      await wh.all<{ k: string }>(
        `select region_code || ':' || rows as k from load_slices
         where kind = $kind and period = $p::date and superseded_by_load is null order by region_code`,
        { kind, p: `${period}-01` },
      )
    ).map((x) => x.k);

  it('loads a region-month file without rows as an empty slice that replaces the rows that were there', async () => {
    const full = await ingestFile(wh, write('subscriber_330800_202603.csv', [subHead, '2026-03,E1,C1,personal,330800,mobile,2020-01-01,', '2026-03,E2,C2,personal,330800,mobile,2020-01-01,']));
    expect(full).toMatchObject({ status: 'loaded', rows_loaded: 2 });
    const empty = await ingestFile(wh, write('subscriber_330800_2026-03_resend.csv', [subHead]));
    expect(empty).toMatchObject({ status: 'loaded', kind: 'subscriber', rows_loaded: 0, rows_rejected: 0, slices: [{ region_code: '330800', period: '2026-03' }] });
    expect(empty.message).toMatch(/1 of them empty \(330800 2026-03/);
    expect(empty.message).toMatch(/空切片/);
    expect(await rawCount('raw_subscriber', `region_code = '330800' and period = date '2026-03-01'`)).toBe(0);
    expect(await liveSlices('subscriber', '2026-03')).toEqual(['330800:0']);
    expect(await wh.one(`select superseded_by_load from load_slices where load_id = $id`, { id: full.load_id })).toEqual({ superseded_by_load: BigInt(empty.load_id!) });
    // A re-send with rows replaces the empty slice in turn.
    const again = await ingestFile(wh, write('subscriber_330800_202603_again.csv', [subHead, '2026-03,E3,C3,personal,330800,iptv,2020-01-01,']));
    expect(again).toMatchObject({ status: 'loaded', rows_loaded: 1 });
    expect(await liveSlices('subscriber', '2026-03')).toEqual(['330800:1']);
  });

  it('takes the same header-only bytes named for another city or month as another empty slice, not as a duplicate', async () => {
    const a = await ingestFile(wh, write('complaint_330900_202603.csv', [cplHead]));
    const b = await ingestFile(wh, write('complaint_331000_202603.csv', [cplHead]));
    const c = await ingestFile(wh, write('complaint_331000_202604.csv', [cplHead]));
    expect([a, b, c].map((r) => [r.status, r.slices])).toEqual([
      ['loaded', [{ region_code: '330900', period: '2026-03' }]],
      ['loaded', [{ region_code: '331000', period: '2026-03' }]],
      ['loaded', [{ region_code: '331000', period: '2026-04' }]],
    ]);
    const again = await ingestFile(wh, write('complaint_331000_202604_again.csv', [cplHead]));
    expect(again).toMatchObject({ status: 'duplicate', load_id: c.load_id });
  });

  it('gives every region a complaint ALL file does not mention an empty complaint slice for its month', async () => {
    const before = await ingestFile(wh, write('complaint_330400_202603.csv', [cplHead, 'EQ1,2026-03-02 10:00,330400,billing,hotline']));
    expect(before.rows_loaded).toBe(1);
    const all = await ingestFile(
      wh,
      write('complaint_ALL_202603.csv', [
        cplHead,
        'EQ2,2026-03-03 10:00,330100,billing,hotline',
        'EQ3,2026-03-04 10:00,330200,billing,colour', // rejected: 330200 is still mentioned, so it keeps what it had
        'EQ4,2026-02-27 10:00,330500,network,hotline', // a February complaint: 330500 has none in March
      ]),
      { rejectThreshold: 0.9 },
    );
    expect(all).toMatchObject({ status: 'loaded', rows_loaded: 2, rows_rejected: 1 });
    const march = all.slices.filter((s) => s.period === '2026-03').map((s) => s.region_code);
    const others = ['330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100'];
    expect(march).toEqual(['330100', ...others]);
    expect(all.slices.filter((s) => s.period === '2026-02')).toEqual([{ region_code: '330500', period: '2026-02' }]);
    expect(all.message).toMatch(/9 of them empty \(9 region\(s\) without rows in 2026-03/);
    expect(await liveSlices('complaint', '2026-03')).toEqual(['330100:1', ...others.map((r) => `${r}:0`)]);
    expect(await rawCount('raw_complaint', `region_code = '330400' and period = date '2026-03-01'`)).toBe(0);
    expect(await wh.one(`select superseded_by_load from load_slices where load_id = $id`, { id: before.load_id })).toEqual({ superseded_by_load: BigInt(all.load_id!) });
  });

  it('records no slice for a file without rows whose name names no single region and month, nor for another kind\'s ALL file', async () => {
    const loadsBefore = await rawCount('load_slices');
    const noName = await ingestFile(wh, write('subscriber_extract.csv', [subHead]));
    expect(noName).toMatchObject({ status: 'loaded', rows_loaded: 0, slices: [] });
    expect(noName.message).toMatch(/no data rows.*no slice was recorded/);
    const channelAll = await ingestFile(wh, write('channel_ALL_202603.csv', ['period,channel_id,channel_name,channel_type,region_code,exclusive,opened_on,closed_on,commission']));
    expect(channelAll).toMatchObject({ status: 'loaded', rows_loaded: 0, slices: [] });
    expect(channelAll.message).toMatch(/no slice was recorded/);
    const unknownRegion = await ingestFile(wh, write('complaint_339900_202603.csv', [cplHead, '']));
    expect(unknownRegion).toMatchObject({ status: 'loaded', slices: [] });
    expect(await rawCount('load_slices')).toBe(loadsBefore);
  });
});
