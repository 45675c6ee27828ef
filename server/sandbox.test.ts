// The analyst sandbox: an uploaded file becomes sandbox_<user>.<name> (or, shared, sandbox.<name>),
// typed column by column, whitespace-only cells null, queryable from the SQL console beside the
// warehouse — by its uploader only, unless shared. Checked on the public Telco
// customer churn file (../shared/data): 7,043 rows, 1,869 churned, TotalCharges numeric with 11 blanks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';
import { addUser } from '../warehouse/users.ts';
import { sandboxSchema } from './sandbox.ts';

const TELCO = join(import.meta.dirname, '..', '..', 'shared', 'data', 'telco-customer-churn.csv');

let ts: TestServer;
beforeAll(async () => {
  // A second analyst, with a name that is not a plain identifier.
  ts = await testServer({ prepare: async (wh) => void (await addUser(wh, { name: 'Bo.li', role: 'analyst', password: PASSWORD })) });
}, 60_000);
afterAll(() => ts?.close());

async function upload(name: string, bytes: Uint8Array, fileName: string, as: 'analyst' | 'exec' = 'analyst') {
  const form = new FormData();
  form.append('name', name);
  form.append('file', new Blob([bytes]), fileName);
  return ts.fetch('/api/sandbox', { method: 'POST', body: form, as });
}

async function query<T = unknown[]>(sql: string): Promise<T[]> {
  const res = await postJson(ts, '/api/sql', { sql }, 'analyst');
  const body = (await res.json()) as { rows: T[]; error?: string };
  expect(res.status, body.error).toBe(200);
  return body.rows;
}

describe('POST /api/sandbox', () => {
  it('loads the Telco churn CSV with inferred types and blank cells as null', async () => {
    const res = await upload('telco', readFileSync(TELCO), 'telco-customer-churn.csv');
    const body = (await res.json()) as { table: string; rows: number; columns: { name: string; type: string }[] };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ table: 'sandbox_analyst.telco', shared: false, rows: 7043 });
    const types = Object.fromEntries(body.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ customerID: 'VARCHAR', SeniorCitizen: 'BIGINT', tenure: 'BIGINT', MonthlyCharges: 'DOUBLE', TotalCharges: 'DOUBLE', Churn: 'VARCHAR' });
    expect(await query(`select count(*) from sandbox_analyst.telco`)).toEqual([[7043]]);
    expect(await query(`select count(*) from sandbox_analyst.telco where Churn = 'Yes'`)).toEqual([[1869]]);
    expect(await query(`select count(*) from sandbox_analyst.telco where TotalCharges is null`)).toEqual([[11]]);
    expect(await query(`select round(sum(TotalCharges), 2) > 16000000 from sandbox_analyst.telco`)).toEqual([[true]]);
    // Beside the warehouse: a join with its tables works like any other query.
    expect(await query(`select count(*) from sandbox_analyst.telco t join regions r on false`)).toEqual([[0]]);
    const schema = (await (await ts.fetch('/api/schema', { as: 'analyst' })).json()) as { tables: { schema: string; name: string }[] };
    expect(schema.tables.some((t) => t.schema === 'sandbox_analyst' && t.name === 'telco')).toBe(true);
    expect(schema.tables.some((t) => t.name === 'users' || t.name === 'sessions')).toBe(false);
  });

  it('reads GBK CSV, XLSX and Parquet too; keeps leading-zero codes as text', async () => {
    const gbk = iconv.encode('编码,名称,金额\n0571,杭州,12.5\n0577,温州, \n', 'gbk');
    expect((await upload('cities_gbk', gbk, 'cities.csv')).status).toBe(200);
    expect(await query(`select 编码, 名称, 金额 from sandbox_analyst.cities_gbk order by 编码`)).toEqual([
      ['0571', '杭州', 12.5],
      ['0577', '温州', null],
    ]);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(['day', 'n']);
    ws.addRow(['2026-09-01', 3]);
    ws.addRow(['2026-09-02', 4]);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    expect((await upload('days', xlsx, 'days.xlsx')).status).toBe(200);
    expect(await query(`select typeof(day), sum(n) from sandbox_analyst.days group by 1`)).toEqual([['DATE', 7]]);
    const parquet = join(ts.server.ctx.settings.stagingDir, 'p.parquet');
    await ts.server.ctx.queue.run(() => ts.wh.run(`copy (select 1 as a, 'x' as b) to '${parquet}' (format parquet)`));
    expect((await upload('pq', readFileSync(parquet), 'p.parquet')).status).toBe(200);
    expect(await query(`select * from sandbox_analyst.pq`)).toEqual([[1, 'x']]);
  });

  it('lists and drops sandbox tables; refuses bad names and other roles', async () => {
    const list = (await (await ts.fetch('/api/sandbox', { as: 'analyst' })).json()) as { tables: { table: string }[] };
    expect(list.tables.map((t) => t.table)).toContain('sandbox_analyst.telco');
    expect((await upload('Bad-Name', new Uint8Array([97, 10, 49]), 'x.csv')).status).toBe(400);
    expect((await upload('ok', new Uint8Array([97, 10, 49]), 'x.bin')).status).toBe(400);
    expect((await upload('ok', new Uint8Array([97, 10, 49]), 'x.csv', 'exec')).status).toBe(403);
    expect((await ts.fetch('/api/sandbox/pq', { method: 'DELETE', as: 'analyst' })).status).toBe(200);
    expect((await ts.fetch('/api/sandbox/pq', { method: 'DELETE', as: 'analyst' })).status).toBe(404);
  });
});

describe('per-analyst sandboxes', () => {
  let bo: string;
  const asBo = (path: string, init: RequestInit = {}) => fetch(`${ts.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: bo } });
  const boSql = async (sql: string) => {
    const res = await asBo('/api/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
    return { status: res.status, body: (await res.json()) as { rows: unknown[][]; error?: string } };
  };
  const put = async (name: string, csv: string, opts: { shared?: boolean | string; as?: 'analyst' | 'bo' } = {}) => {
    const form = new FormData();
    form.append('name', name);
    if (opts.shared !== undefined) form.append('shared', String(opts.shared));
    form.append('file', new Blob([csv]), `${name}.csv`);
    return opts.as === 'bo' ? asBo('/api/sandbox', { method: 'POST', body: form }) : ts.fetch('/api/sandbox', { method: 'POST', body: form, as: 'analyst' });
  };

  beforeAll(async () => {
    const res = await fetch(`${ts.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'Bo.li', password: PASSWORD }) });
    expect(res.status).toBe(200);
    bo = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  });

  it('maps every user name to a schema of its own', () => {
    const names = ['analyst', 'a.b', 'a_b', 'A_b', 'a-b', 'ab', 'a__b', 'a_db', 'Bo.li', 'bo.li', 'bo_dli'];
    const schemas = names.map(sandboxSchema);
    expect(new Set(schemas).size).toBe(names.length);
    for (const s of schemas) expect(s).toMatch(/^sandbox_[a-z0-9_]+$/);
    expect(sandboxSchema('analyst')).toBe('sandbox_analyst');
  });

  it("keeps an analyst's upload to them: another analyst cannot read, list or overwrite it", async () => {
    expect((await put('secret', 'v\n42\n')).status).toBe(200);
    const mine = 'sandbox_analyst.secret';
    expect(await query(`select v from ${mine}`)).toEqual([[42]]);

    // Not listed to Bo, by the sandbox, the schema endpoint or information_schema.
    const list = (await (await asBo('/api/sandbox')).json()) as { tables: { table: string }[] };
    expect(list.tables.map((t) => t.table)).not.toContain(mine);
    const schema = (await (await asBo('/api/schema')).json()) as { tables: { schema: string; name: string }[] };
    expect(schema.tables.filter((t) => t.schema === 'sandbox_analyst')).toEqual([]);
    expect((await boSql(`select table_schema, table_name from information_schema.tables where table_name = 'secret'`)).body.rows).toEqual([]);
    expect((await boSql(`select column_name from information_schema.columns where table_schema = 'sandbox_analyst'`)).body.rows).toEqual([]);
    // Not readable, however it is named.
    for (const sql of [`select * from ${mine}`, `select * from "sandbox_analyst"."secret"`, `select * from ${ts.server.ctx.writer.settings.path.split('/').pop()!.replace(/\.duckdb$/, '')}.sandbox_analyst.secret`, 'select * from secret', `select * from sandbox.secret`]) {
      const r = await boSql(sql);
      expect(r.status, sql).toBe(400);
    }

    // Bo's upload of the same name is Bo's own table; the analyst's is untouched.
    const boUpload = await put('secret', 'v\n7\n', { as: 'bo' });
    expect(boUpload.status).toBe(200);
    expect(((await boUpload.json()) as { table: string }).table).toBe(`${sandboxSchema('Bo.li')}.secret`);
    expect((await boSql(`select v from ${sandboxSchema('Bo.li')}.secret`)).body.rows).toEqual([[7]]);
    expect(await query(`select v from ${mine}`)).toEqual([[42]]);
    // And the analyst cannot read Bo's.
    const theirs = await postJson(ts, '/api/sql', { sql: `select v from ${sandboxSchema('Bo.li')}.secret` }, 'analyst');
    expect(theirs.status).toBe(400);

    // Deleting drops one's own only.
    expect((await asBo('/api/sandbox/secret', { method: 'DELETE' })).status).toBe(200);
    expect((await asBo('/api/sandbox/secret', { method: 'DELETE' })).status).toBe(404);
    expect(await query(`select v from ${mine}`)).toEqual([[42]]);
  });

  it('shares a table with every analyst when uploaded with shared=true', async () => {
    const res = await put('common', 'city,n\n杭州,3\n', { shared: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ table: 'sandbox.common', shared: true, rows: 1 });
    expect((await boSql('select city, n from sandbox.common')).body.rows).toEqual([['杭州', 3]]);
    const list = (await (await asBo('/api/sandbox')).json()) as { tables: { table: string; shared: boolean }[] };
    expect(list.tables).toContainEqual(expect.objectContaining({ table: 'sandbox.common', shared: true }));
    expect((await boSql(`select count(*) from information_schema.tables where table_schema = 'sandbox' and table_name = 'common'`)).body.rows).toEqual([[1]]);
    expect((await put('common2', 'a\n1\n', { shared: 'yes' })).status).toBe(400);
    expect((await asBo('/api/sandbox/common?shared=true', { method: 'DELETE' })).status).toBe(200);
  });
});
