// The analyst sandbox: an uploaded file becomes sandbox.<name>, typed column by column, whitespace-only
// cells null, queryable from the SQL console beside the warehouse. Checked on the public Telco
// customer churn file (../shared/data): 7,043 rows, 1,869 churned, TotalCharges numeric with 11 blanks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';

const TELCO = join(import.meta.dirname, '..', '..', 'shared', 'data', 'telco-customer-churn.csv');

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer();
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
    expect(body).toMatchObject({ table: 'sandbox.telco', rows: 7043 });
    const types = Object.fromEntries(body.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ customerID: 'VARCHAR', SeniorCitizen: 'BIGINT', tenure: 'BIGINT', MonthlyCharges: 'DOUBLE', TotalCharges: 'DOUBLE', Churn: 'VARCHAR' });
    expect(await query(`select count(*) from sandbox.telco`)).toEqual([[7043]]);
    expect(await query(`select count(*) from sandbox.telco where Churn = 'Yes'`)).toEqual([[1869]]);
    expect(await query(`select count(*) from sandbox.telco where TotalCharges is null`)).toEqual([[11]]);
    expect(await query(`select round(sum(TotalCharges), 2) > 16000000 from sandbox.telco`)).toEqual([[true]]);
    // Beside the warehouse: a join with its tables works like any other query.
    expect(await query(`select count(*) from sandbox.telco t join regions r on false`)).toEqual([[0]]);
    const schema = (await (await ts.fetch('/api/schema', { as: 'analyst' })).json()) as { tables: { schema: string; name: string }[] };
    expect(schema.tables.some((t) => t.schema === 'sandbox' && t.name === 'telco')).toBe(true);
    expect(schema.tables.some((t) => t.name === 'users' || t.name === 'sessions')).toBe(false);
  });

  it('reads GBK CSV, XLSX and Parquet too; keeps leading-zero codes as text', async () => {
    const gbk = iconv.encode('编码,名称,金额\n0571,杭州,12.5\n0577,温州, \n', 'gbk');
    expect((await upload('cities_gbk', gbk, 'cities.csv')).status).toBe(200);
    expect(await query(`select 编码, 名称, 金额 from sandbox.cities_gbk order by 编码`)).toEqual([
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
    expect(await query(`select typeof(day), sum(n) from sandbox.days group by 1`)).toEqual([['DATE', 7]]);
    const parquet = join(ts.server.ctx.settings.stagingDir, 'p.parquet');
    await ts.server.ctx.queue.run(() => ts.wh.run(`copy (select 1 as a, 'x' as b) to '${parquet}' (format parquet)`));
    expect((await upload('pq', readFileSync(parquet), 'p.parquet')).status).toBe(200);
    expect(await query(`select * from sandbox.pq`)).toEqual([[1, 'x']]);
  });

  it('lists and drops sandbox tables; refuses bad names and other roles', async () => {
    const list = (await (await ts.fetch('/api/sandbox', { as: 'admin' })).json()) as { tables: { table: string }[] };
    expect(list.tables.map((t) => t.table)).toContain('sandbox.telco');
    expect((await upload('Bad-Name', new Uint8Array([97, 10, 49]), 'x.csv')).status).toBe(400);
    expect((await upload('ok', new Uint8Array([97, 10, 49]), 'x.bin')).status).toBe(400);
    expect((await upload('ok', new Uint8Array([97, 10, 49]), 'x.csv', 'exec')).status).toBe(403);
    expect((await ts.fetch('/api/sandbox/pq', { method: 'DELETE', as: 'analyst' })).status).toBe(200);
    expect((await ts.fetch('/api/sandbox/pq', { method: 'DELETE', as: 'analyst' })).status).toBe(404);
  });
});
