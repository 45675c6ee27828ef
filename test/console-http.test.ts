// The SQL console version 2 over HTTP (issue 14): whole results exported as CSV, XLSX and Parquet under
// the console's guard, saved and shared queries, and the history each analyst's runs leave on the server.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../warehouse/users.ts';
import { PASSWORD, postJson, type TestServer, testServer } from './helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({
    prepare: async (wh) => {
      await addUser(wh, { name: 'analyst2', role: 'analyst', region_code: null, password: PASSWORD });
    },
    settings: { sqlConnections: 1 },
  });
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

async function login(user: string): Promise<string> {
  const res = await fetch(`${ts.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

function call(cookie: string | null, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${ts.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
}

const MILLION = `select range as n, ((range % 100000)::decimal(18,2) * 0.01)::decimal(18,2) as amount, date '2026-01-01' + (range % 365)::integer as day,
  '第' || range || '行, "引号"' as label from range(1000000) order by n`;

describe('POST /api/sql/export', () => {
  it('streams 1,000,000 rows as CSV (UTF-8 with BOM), each field as the JSON answer shows it', async () => {
    const cookie = await ts.cookie('analyst');
    const res = await call(cookie, 'POST', '/api/sql/export', { sql: MILLION, format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="query-\d{8}-\d{6}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('n,amount,day,label');
    expect(lines.length).toBe(1_000_001);
    let sum = 0;
    for (let i = 1; i < lines.length; i++) sum += Number(lines[i]!.slice(0, lines[i]!.indexOf(',')));
    expect(sum).toBe((999_999 * 1_000_000) / 2);
    // The same rows as /api/sql's JSON answer, quoted where a field holds a comma or a quote.
    const json = (await (await postJson(ts, '/api/sql', { sql: `${MILLION} limit 3 offset 123456` }, 'analyst')).json()) as { rows: unknown[][] };
    const row = json.rows[0]!;
    expect(lines[123_457]).toBe(`${row[0]},${row[1]},${row[2]},"${String(row[3]).replace(/"/g, '""')}"`);
    expect(lines[123_457]).toBe('123456,234.56,2026-03-28,"第123456行, ""引号"""');
  }, 60_000);

  it('writes NULL as an empty field, an empty string as "", and quotes line breaks, commas and quotes', async () => {
    const res = await call(await ts.cookie('analyst'), 'POST', '/api/sql/export', {
      sql: `select null as "a,b", '' as empty, 'x' || chr(10) || 'y' as lines, 'say "hi"' as quoted, 1.5::double as d, true as t, timestamptz '2026-09-30 16:30:00+00' as tz`,
      format: 'csv',
    });
    const text = Buffer.from(await res.arrayBuffer()).subarray(3).toString('utf8');
    expect(text).toBe('"a,b",empty,lines,quoted,d,t,tz\r\n,"","x\ny","say ""hi""",1.5,true,2026-10-01 00:30:00\r\n');
  });

  it('writes 1,000,000 rows as Parquet through DuckDB, read back with their types', async () => {
    const res = await call(await ts.cookie('analyst'), 'POST', '/api/sql/export', { sql: MILLION, format: 'parquet' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="query-\d{8}-\d{6}\.parquet"/);
    const file = join(ts.dir, 'read-back.parquet');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    writeFileSync(file, body);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `select count(*)::bigint as n, sum(n)::bigint as total, sum(amount)::varchar as amount, min(day)::varchar as first_day, max(label) as label,
              (select string_agg(column_type, ',' order by column_name) from (describe select * from read_parquet($f))) as types
       from read_parquet($f)`,
      { f: file },
    );
    const [n, total, amount, firstDay, , types] = reader.getRowsJS()[0]!;
    expect(n).toBe(1_000_000n);
    expect(total).toBe(499_999_500_000n);
    // 10 × the sum of 0.00 … 999.99 exactly: money stays DECIMAL.
    expect(amount).toBe('499995000.00');
    expect(firstDay).toBe('2026-01-01');
    expect(types).toBe('DECIMAL(18,2),DATE,VARCHAR,BIGINT');
    conn.closeSync();
    // The staging folder keeps nothing of the export.
    expect(readdirNames(join(ts.dir, 'staging')).filter((f) => f.startsWith('export-'))).toEqual([]);
  }, 60_000);

  it('stops an XLSX at Excel\'s 1,048,575 data rows and says so in a note sheet', async () => {
    const res = await call(await ts.cookie('analyst'), 'POST', '/api/sql/export', { sql: 'select range as n from range(1048577)', format: 'xlsx' });
    expect(res.status).toBe(200);
    const file = join(ts.dir, 'capped.xlsx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit' });
    const sheets: { name: string; rows: number; last: unknown; text: string[] }[] = [];
    for await (const sheet of reader) {
      const s = { name: (sheet as unknown as { name: string }).name, rows: 0, last: null as unknown, text: [] as string[] };
      for await (const row of sheet) {
        s.rows++;
        s.last = row.getCell(1).value;
        if (s.text.length < 3) s.text.push(String(row.getCell(1).value));
      }
      sheets.push(s);
    }
    expect(sheets[0]!.rows).toBe(1_048_576);
    expect(sheets[0]!.last).toBe(1_048_574);
    expect(sheets[1]!.text.join('\n')).toContain('1,048,575');
    expect(sheets[1]!.text.join('\n')).toContain('CSV');
  }, 240_000);

  it('is the console\'s guard: a session, the sql role, one read-only SELECT, no private table', async () => {
    expect((await call(null, 'POST', '/api/sql/export', { sql: 'select 1', format: 'csv' })).status).toBe(401);
    expect((await call(await ts.cookie('analyst'), 'POST', '/api/sql/export', { sql: 'select 1', format: 'pdf' })).status).toBe(400);
    for (const user of ['exec', 'wenzhou'] as const) {
      expect((await call(await ts.cookie(user), 'POST', '/api/sql/export', { sql: 'select 1', format: 'csv' })).status).toBe(403);
    }
    const analyst = await ts.cookie('analyst');
    for (const sql of ['delete from loads', 'select * from users', 'select * from query_history', 'select * from saved_queries', `copy loads to '/tmp/x.csv'`]) {
      for (const format of ['csv', 'parquet'] as const) {
        const res = await call(analyst, 'POST', '/api/sql/export', { sql, format });
        expect(res.status, `${format}: ${sql}`).toBe(400);
        expect(((await res.json()) as { error: string }).error).toBeTruthy();
      }
    }
    expect((await call(await ts.cookie('admin'), 'POST', '/api/sql/export', { sql: 'select 1 as one', format: 'csv' })).status).toBe(200);
    // information_schema (issue 11) stays narrowed: the new private tables are not listed either.
    const listed = await call(analyst, 'POST', '/api/sql/export', { sql: 'select table_name from information_schema.tables', format: 'csv' });
    const names = Buffer.from(await listed.arrayBuffer()).subarray(3).toString('utf8').split('\r\n');
    expect(names).toContain('loads');
    for (const hidden of ['users', 'sessions', 'saved_queries', 'query_history']) expect(names).not.toContain(hidden);
  });

  it('stops the query when the client goes away: the (only) SQL connection is free again at once', async () => {
    const analyst = await ts.cookie('analyst');
    const controller = new AbortController();
    const res = await call(analyst, 'POST', '/api/sql/export', { sql: 'select a.range as a, b.range as b from range(100000) a, range(100000) b', format: 'csv' }, controller.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = 0;
    while (received < 1_000_000) received += (await reader.read()).value?.length ?? 0;
    controller.abort();
    // Interrupted, not run to its 10^10 rows (hours): the one SQL connection answers the next query.
    const next = await postJson(ts, '/api/sql', { sql: 'select 42 as answer' }, 'analyst');
    expect(next.status).toBe(200);
    expect(((await next.json()) as { rows: unknown[][] }).rows).toEqual([[42]]);
    const history = (await (await call(analyst, 'GET', '/api/queries/history?limit=2')).json()) as { history: { kind: string; error: string | null }[] };
    expect(history.history[1]).toMatchObject({ kind: 'export', error: expect.stringContaining('cancel') });
  }, 60_000);
});

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe('the export cap (EXPORT_MAX_ROWS)', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await testServer({ settings: { exportMaxRows: 5000 } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('cuts a CSV over the cap, refuses such a Parquet, notes it in an XLSX; at the cap all are whole', async () => {
    const cookie = await small.cookie('analyst');
    const over = 'select range as n from range(5001)';
    const exportOf = (sql: string, format: string) => small.fetch('/api/sql/export', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ sql, format }) });
    // CSV: the answer had started, so it is cut — never a file that looks whole.
    const csv = await exportOf(over, 'csv');
    expect(csv.status).toBe(200);
    await expect(csv.arrayBuffer()).rejects.toThrow();
    const parquet = await exportOf(over, 'parquet');
    expect(parquet.status).toBe(400);
    expect(((await parquet.json()) as { error: string }).error).toContain('5,000');
    const xlsx = await exportOf(over, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets[0]!.rowCount).toBe(5001);
    expect(String(wb.worksheets[1]!.getRow(2).getCell(1).value)).toContain("server's export cap (5,000)");

    const whole = await exportOf('select range as n from range(5000)', 'csv');
    expect((await whole.text()).split('\r\n').length).toBe(5002);
    expect((await exportOf('select range as n from range(5000)', 'parquet')).status).toBe(200);
    const full = new ExcelJS.Workbook();
    await full.xlsx.load(await (await exportOf('select range as n from range(5000)', 'xlsx')).arrayBuffer());
    expect(full.worksheets.length).toBe(1);
  });
});

interface Saved {
  id: number;
  name: string;
  sql: string;
  owner: string;
  shared: boolean;
  created_at: string;
}

describe('saved queries and the server-side history', () => {
  it('shows each analyst their own and the shared queries; only the owner or an admin deletes', async () => {
    const a = await login('analyst');
    const b = await login('analyst2');
    const save = async (cookie: string, body: unknown) => {
      const res = await call(cookie, 'POST', '/api/queries', body);
      expect(res.status).toBe(201);
      return (await res.json()) as Saved;
    };
    const mine = await save(a, { name: '我的查询', sql: 'select 1 as private_one', shared: false });
    const shared = await save(a, { name: 'ARPU by city', sql: 'select 2 as shared_one', shared: true });
    expect(shared).toMatchObject({ name: 'ARPU by city', owner: 'analyst', shared: true });
    expect(shared.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const list = async (cookie: string) => ((await (await call(cookie, 'GET', '/api/queries')).json()) as { queries: Saved[] }).queries.map((q) => q.id);
    expect(await list(a)).toEqual(expect.arrayContaining([mine.id, shared.id]));
    expect(await list(b)).toContain(shared.id);
    expect(await list(b)).not.toContain(mine.id);

    expect((await call(b, 'DELETE', `/api/queries/${shared.id}`)).status).toBe(403);
    expect((await call(b, 'DELETE', `/api/queries/${mine.id}`)).status).toBe(404);
    expect((await call(await ts.cookie('exec'), 'GET', '/api/queries')).status).toBe(403);
    expect((await call(null, 'GET', '/api/queries')).status).toBe(401);
    expect((await call(a, 'POST', '/api/queries', { name: '', sql: 'select 1' })).status).toBe(400);
    expect((await call(a, 'POST', '/api/queries', { name: 'x', sql: 'select 1', shared: 'yes' })).status).toBe(400);
    expect((await call(a, 'DELETE', '/api/queries/abc')).status).toBe(400);

    expect((await call(await ts.cookie('admin'), 'DELETE', `/api/queries/${shared.id}`)).status).toBe(204);
    expect(await list(b)).not.toContain(shared.id);
    expect((await call(a, 'DELETE', `/api/queries/${mine.id}`)).status).toBe(204);
    expect(await list(a)).not.toContain(mine.id);
  });

  it('keeps what each analyst ran on the server: another session of theirs sees it, newest first; no one else does', async () => {
    const first = await login('analyst2');
    const ok = await call(first, 'POST', '/api/sql', { sql: 'select 7 as seven' });
    expect(ok.status).toBe(200);
    await ok.text();
    expect((await call(first, 'POST', '/api/sql', { sql: 'select * from no_such_table' })).status).toBe(400);
    const exported = await call(first, 'POST', '/api/sql/export', { sql: 'select 8 as eight', format: 'csv' });
    await exported.text();

    const second = await login('analyst2');
    const res = await call(second, 'GET', '/api/queries/history');
    expect(res.status).toBe(200);
    const { history } = (await res.json()) as { history: { sql: string; kind: string; format: string; rows: number | null; error: string | null; at: string }[] };
    expect(history.slice(0, 3).map((h) => [h.sql, h.kind, h.format, h.rows])).toEqual([
      ['select 8 as eight', 'export', 'csv', 1],
      ['select * from no_such_table', 'run', 'json', null],
      ['select 7 as seven', 'run', 'json', 1],
    ]);
    expect(history[1]!.error).toContain('no_such_table');
    const other = (await (await call(await login('analyst'), 'GET', '/api/queries/history')).json()) as { history: { sql: string }[] };
    expect(other.history.map((h) => h.sql)).not.toContain('select 7 as seven');
    expect((await call(second, 'GET', '/api/queries/history?limit=0')).status).toBe(400);
  });
});
