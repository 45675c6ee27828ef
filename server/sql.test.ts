// POST /api/sql as the analyst's console uses it: results as JSON and as Arrow (the same rows), the
// row cap, the time limit, cancelling, and a hostile corpus that must be refused or stopped with a
// clear 4xx while the warehouse stays as it was and the server keeps answering.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';
import { scaledDecimal } from '../test/helpers/arrow.ts';
import { decimalText } from './json-values.ts';

const ARROW = 'application/vnd.apache.arrow.stream';
let ts: TestServer;

beforeAll(async () => {
  ts = await testServer({
    settings: { sqlTimeoutMs: 1500, sqlDefaultLimit: 1000, sqlMaxLimit: 5000 },
    prepare: async (wh) => {
      await wh.run(`create table facts as
        select i::bigint as id, 'S' || lpad(i::varchar, 6, '0') as sid, date '2026-01-01' + (i % 300)::int as day,
               timestamp '2026-01-01 08:00:00' + to_seconds(i * 37) as at,
               ((i - 1000) * 1.25)::decimal(18, 2) as amount, case when i % 7 = 0 then null else (i % 100)::decimal(5, 1) end as small,
               case when i % 5 = 0 then null else (i * 0.5)::double end as ratio, i % 2 = 0 as even,
               case when i % 3 = 0 then '杭州' when i % 3 = 1 then 'line "quoted", comma' else null end as note
        from range(2500) t(i)`);
    },
  });
}, 120_000);
afterAll(() => ts?.close());

async function sqlJson(sql: string, extra: Record<string, unknown> = {}) {
  const res = await postJson(ts, '/api/sql', { sql, ...extra }, 'analyst');
  return { status: res.status, body: (await res.json()) as { columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; error?: string } };
}

async function sqlArrow(sql: string, extra: Record<string, unknown> = {}) {
  const res = await postJson(ts, '/api/sql', { sql, ...extra }, 'analyst', { accept: ARROW });
  return { res, table: res.ok ? tableFromIPC(new Uint8Array(await res.arrayBuffer())) : null };
}

/** Arrow values in the JSON result's conventions, to compare the two. */
function fromArrow(value: unknown, type: string, scale: number): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'DATE') return new Date(value as number).toISOString().slice(0, 10);
  if (type === 'TIMESTAMP') return new Date(value as number).toISOString().slice(0, 19).replace('T', ' ');
  if (typeof value === 'bigint') return Number(value);
  if (type.startsWith('DECIMAL')) return Number(decimalText(scaledDecimal(value as Uint32Array), scale));
  return value;
}

describe('POST /api/sql', () => {
  it('answers JSON with typed columns: BIGINT and DECIMAL as numbers, dates and timestamps as text', async () => {
    const { status, body } = await sqlJson('select * from facts order by id limit 3');
    expect(status, body.error).toBe(200);
    expect(body.columns.map((c) => c.type)).toEqual(['BIGINT', 'VARCHAR', 'DATE', 'TIMESTAMP', 'DECIMAL(18,2)', 'DECIMAL(5,1)', 'DOUBLE', 'BOOLEAN', 'VARCHAR']);
    expect(body.rows[1]).toEqual([1, 'S000001', '2026-01-02', '2026-01-01 08:00:37', -1248.75, 1, 0.5, false, 'line "quoted", comma']);
    expect(body.rows[0]).toEqual([0, 'S000000', '2026-01-01', '2026-01-01 08:00:00', -1250, null, null, true, '杭州']);
    expect(body.truncated).toBe(false);
  });

  it('keeps big BIGINT and DECIMAL values exact as strings', async () => {
    const { body } = await sqlJson(`select 9007199254740993::bigint as big, 12345678901234567.89::decimal(38, 2) as dec, sum(id) as total from facts`);
    expect(body.rows[0]).toEqual(['9007199254740993', '12345678901234567.89', 2500 * 2499 / 2]);
  });

  it('streams Arrow IPC that parses with apache-arrow and equals the JSON rows', async () => {
    const sql = 'select * from facts order by id';
    const json = await sqlJson(sql, { limit: 5000 });
    const { res, table } = await sqlArrow(sql, { limit: 5000 });
    expect(res.headers.get('content-type')).toBe(ARROW);
    expect(res.headers.get('x-truncated')).toBe('false');
    expect(table!.numRows).toBe(2500);
    const scales = json.body.columns.map((c) => Number(/,(\d+)\)/.exec(c.type)?.[1] ?? 0));
    const rows = Array.from({ length: table!.numRows }, (_, i) =>
      table!.schema.fields.map((_f, c) => fromArrow(table!.getChildAt(c)!.get(i), json.body.columns[c]!.type, scales[c]!)),
    );
    expect(rows).toEqual(json.body.rows);
  });

  it('caps rows at the limit and says so: truncated in JSON, X-Truncated for Arrow', async () => {
    const json = await sqlJson('select * from facts', { limit: 10 });
    expect(json.body.rows).toHaveLength(10);
    expect(json.body.truncated).toBe(true);
    const byDefault = await sqlJson('select * from facts');
    expect(byDefault.body.rows).toHaveLength(1000);
    const { res, table } = await sqlArrow('select id from facts', { limit: 7 });
    expect(res.headers.get('x-truncated')).toBe('true');
    expect(table!.numRows).toBe(7);
    // The server's maximum bounds what a client may ask for.
    expect((await sqlJson('select * from range(100000)', { limit: 10 ** 9 })).body.rows).toHaveLength(5000);
  });

  it('answers an empty result with its columns, in both formats', async () => {
    expect((await sqlJson('select id, note from facts where false')).body).toMatchObject({ rows: [], truncated: false, columns: [{ name: 'id' }, { name: 'note' }] });
    const { table } = await sqlArrow('select id, note from facts where false');
    expect(table!.numRows).toBe(0);
    expect(table!.schema.fields.map((f) => f.name)).toEqual(['id', 'note']);
  });

  it('accepts WITH, set operations, DESCRIBE of a query, table functions that only compute', async () => {
    for (const sql of [
      'with t as (select id from facts where id < 3) select count(*) from t',
      'select 1 as a union all select 2',
      'describe select * from facts',
      'select * from range(3) r, unnest([1, 2]) u',
      'select id from facts order by id desc limit 1;',
      'select id from facts -- a trailing comment',
      'from facts select count(*)',
    ]) {
      const { status, body } = await sqlJson(sql);
      expect(status, `${sql}: ${body.error}`).toBe(200);
    }
  });
});

describe('information_schema in the console', () => {
  it('lists in information_schema.tables what the console may read (what GET /api/schema lists), nothing else', async () => {
    const { status, body } = await sqlJson(`select table_schema, table_name, table_type from information_schema.tables order by all`);
    expect(status, body.error).toBe(200);
    const names = body.rows.map((r) => `${r[0]}.${r[1]}`);
    const schema = (await (await ts.fetch('/api/schema', { as: 'analyst' })).json()) as { tables: { schema: string; name: string }[] };
    expect(names).toEqual(schema.tables.map((t) => `${t.schema}.${t.name}`).sort());
    expect(names).toContain('main.facts');
    for (const hidden of ['users', 'sessions', 'app_settings']) expect(names.some((n) => n.endsWith(`.${hidden}`)), hidden).toBe(false);
    // However it is written: other case, quoted, aliased, joined, in a subquery.
    const variants = [
      `select table_name from INFORMATION_SCHEMA.TABLES where table_name in ('users', 'sessions', 'facts')`,
      `select t.table_name from "information_schema"."tables" t where t.table_name in ('users', 'sessions', 'facts')`,
      `select tables.table_name from information_schema.tables where tables.table_name in ('users', 'sessions', 'facts')`,
      `select distinct c.table_name from information_schema.tables t join information_schema.columns c using (table_schema, table_name) where c.table_name in ('users', 'sessions', 'facts')`,
      `select x from (select '杭州' as city, table_name as x from information_schema.tables) where x in ('users', 'sessions', 'facts')`,
    ];
    for (const sql of variants) {
      const res = await sqlJson(sql);
      expect(res.status, `${sql}: ${res.body.error}`).toBe(200);
      expect(res.body.rows, sql).toEqual([['facts']]);
    }
  });

  it('shows no column of users or sessions in information_schema.columns', async () => {
    const { status, body } = await sqlJson(`select column_name from information_schema.columns where table_name in ('users', 'sessions') or column_name ilike '%password%'`);
    expect(status, body.error).toBe(200);
    expect(body.rows).toEqual([]);
    const facts = await sqlJson(`select column_name, data_type from information_schema.columns where table_name = 'facts' order by ordinal_position limit 2`);
    expect(facts.body.rows).toEqual([['id', 'BIGINT'], ['sid', 'VARCHAR']]);
    // Other catalog views stay refused.
    for (const sql of ['select * from information_schema.schemata', 'select * from system.information_schema.tables', 'select * from pg_catalog.pg_tables']) {
      expect((await sqlJson(sql)).status, sql).toBe(400);
    }
  });
});

describe('POST /api/sql against a hostile corpus', () => {
  /**
   * Every table with its row count, the content of `facts`, and every sequence's position — but the
   * console's own history and the audit log, to which each query adds (that nothing else changes the
   * audit log: audit.test.ts).
   */
  // Sessions change by design too.
  const fingerprint = () =>
    ts.server.ctx.readers.use(async (wh) => {
      const tables = await wh.all<{ schema_name: string; table_name: string }>(
        `select schema_name, table_name from duckdb_tables() where database_name = current_database() and table_name not in ('sessions', 'query_history', 'audit_log') order by all`,
      );
      const counts = [];
      for (const t of tables) counts.push([t.table_name, (await wh.one(`select count(*) as n from ${t.schema_name}.${t.table_name}`))!.n]);
      const facts = await wh.one(`select sum(hash(f)) as h from facts f`);
      const seq = await wh.all(`select sequence_name, last_value from duckdb_sequences() where sequence_name not in ('query_history_id_seq', 'audit_log_id') order by all`);
      return createHash('sha256').update(JSON.stringify([counts, facts, seq], (_k, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex');
    });

  it('refuses or stops each with a clear 4xx, leaves the warehouse unchanged, keeps answering', async () => {
    const dbFile = ts.path;
    const passwd = '/etc/passwd';
    writeFileSync(join(ts.dir, 'outside.csv'), 'a\n1\n');
    const corpus: [string, string | Record<string, unknown>][] = [
      ['DDL', 'create table evil as select 1'],
      ['DROP', 'drop table facts'],
      ['DML insert', 'insert into facts (id) values (1)'],
      ['DML update', 'update facts set id = 0'],
      ['DML delete', 'delete from facts'],
      ['multi-statement', 'select 1; drop table facts'],
      ['multi-statement select', 'select 1; select 2'],
      ['COPY TO', `copy facts to '${join(ts.dir, 'stolen.csv')}'`],
      ['COPY inside', `select * from (copy facts to 'x.csv')`],
      ['read_csv /etc/passwd', `select * from read_csv('${passwd}')`],
      ['read_text /etc/passwd', `select * from read_text('${passwd}')`],
      ['replacement scan', `select * from '${passwd}'`],
      ['replacement scan csv', `select * from '${join(ts.dir, 'outside.csv')}'`],
      ['warehouse file by path', `select * from read_blob('${dbFile}')`],
      ['warehouse file as table', `select * from '${dbFile}'`],
      ['glob', `select * from glob('/*')`],
      ['query()', `select * from query('select * from users')`],
      ['users table', 'select * from users'],
      ['sessions table', 'select * from main.sessions'],
      ['users through a CTE shadow', 'with users as (select 1) select * from users'],
      ['audit log read', 'select * from audit_log'],
      ['audit log qualified', 'select count(*) from main.audit_log'],
      ['audit log delete', 'delete from audit_log'],
      ['audit log update', `update audit_log set user_name = 'nobody'`],
      ['audit log drop', 'drop table audit_log'],
      ['audit log truncate', 'truncate audit_log'],
      ['audit log in a subquery', 'select 1 where exists (select 1 from audit_log)'],
      ['audit log through an out-of-scope CTE', 'select * from audit_log where exists (with audit_log as (select 1) select 1)'],
      ['audit log sequence', `select nextval('audit_log_id')`],
      ['getenv', `select getenv('HOME')`],
      ['current_setting', `select current_setting('allowed_directories')`],
      ['nextval', `select nextval('load_id_seq')`],
      ['ATTACH', `attach '${join(ts.dir, 'other.duckdb')}' as other`],
      ['INSTALL', 'install httpfs'],
      ['LOAD', 'load httpfs'],
      ['SET', `set enable_external_access = true`],
      ['PRAGMA', 'pragma database_list'],
      ['EXPORT', `export database '${ts.dir}'`],
      ['CHECKPOINT', 'checkpoint'],
      ['BEGIN', 'begin transaction'],
      ['CALL', 'call pragma_version()'],
      ['duckdb_settings()', 'select * from duckdb_settings()'],
      ['other catalog', 'select * from system.main.duckdb_tables'],
      ['recursive CTE that never ends', 'with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t'],
      ['cross join of a billion rows', 'select count(*) from range(1000000) a, range(1000) b, range(1000) c'],
      ['1 MB query', `select '${'x'.repeat(1 << 20)}'`],
      ['empty', ''],
      ['not a string', { sql: 42 }],
      ['syntax error', 'selec 1'],
    ];
    await ts.cookie('analyst');
    const before = await fingerprint();
    for (const [label, sql] of corpus) {
      const res = await postJson(ts, '/api/sql', typeof sql === 'string' ? { sql } : sql, 'analyst');
      const body = (await res.json()) as { error?: string };
      expect(res.status, `${label}: ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      expect(typeof body.error, label).toBe('string');
      expect(body.error!.length, label).toBeGreaterThan(5);
    }
    // Invalid UTF-8 in the body.
    const bad = await ts.fetch('/api/sql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"sql":"select \''), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\'"}')]),
      as: 'analyst',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/UTF-8/) });
    expect(await fingerprint()).toBe(before);
    expect(readFileSync(join(ts.dir, 'outside.csv'), 'utf8')).toBe('a\n1\n');
    expect((await sqlJson('select count(*) as n from facts')).body.rows).toEqual([[2500]]);
  }, 60_000);

  it('takes a CTE name for the CTE only inside the query node that declares it (elsewhere it is a table, and refused)', async () => {
    // Each of these, had the guard seen the CTE everywhere, would read the catalog's duckdb_databases
    // (the warehouse's absolute path), pg_settings or duckdb_tables through DuckDB's search path.
    const refused = [
      ['nested in EXISTS', 'select database_name, path from duckdb_databases where exists (with duckdb_databases as (select 1) select 1)'],
      ['lateral', 'select t.path from duckdb_databases t, lateral (with duckdb_databases as (select 1 as x) select x) l'],
      ['IN subquery', 'select name, value from pg_settings where 1 in (with pg_settings as (select 1 as x) select x)'],
      ['scalar subquery', 'select (with duckdb_tables as (select 1) select 1) as x, sql from duckdb_tables'],
      ['other branch of a UNION', '(with duckdb_databases as (select 1 as p) select p::varchar) union all select path from duckdb_databases'],
      ['used before it is declared', 'with a as (select path from duckdb_databases), duckdb_databases as (select 1) select * from a'],
      ['itself, not recursive', 'with duckdb_databases as (select path from duckdb_databases) select * from duckdb_databases'],
      ['recursive, in the anchor', 'with recursive duckdb_databases(d) as (select path from duckdb_databases union all select d from duckdb_databases where false) select * from duckdb_databases'],
      ['recursive, declared in a subquery', 'select path from duckdb_databases where exists (with recursive duckdb_databases(n) as (select 1 union all select n + 1 from duckdb_databases where n < 2) select 1)'],
      ['quoted', 'select path from duckdb_databases where exists (with "duckdb_databases" as (select 1) select 1)'],
      ['other case', 'select path from DUCKDB_DATABASES where exists (with DuckDB_Databases as (select 1) select 1)'],
    ];
    for (const [label, sql] of refused) {
      const { status, body } = await sqlJson(sql!);
      expect(status, `${label}: ${JSON.stringify(body)}`).toBe(400);
      expect(body.error, label).toMatch(/unknown table/);
      expect(JSON.stringify(body), label).not.toContain(ts.path);
    }
    // Inside its scope a CTE is still a CTE: later CTEs, subqueries, lateral joins, nested WITHs, any case.
    const allowed: [string, unknown[][]][] = [
      ['with a as (select id from facts where id < 3), b as (select * from a) select count(*) from b', [[3]]],
      ['with a as (select id from facts where id < 3) select (select max(id) from a) as m, (select count(*) from (select * from a)) as n', [[2, 3]]],
      ['with a as (select 7 as x) select l.x from facts f, lateral (select x from a) l where f.id = 1', [[7]]],
      ['with a as (select 7 as x) select x from a where x in (select x from a)', [[7]]],
      ['with a as (select 7 as x) select * from (with b as (select x + 1 as y from a) select y from b)', [[8]]],
      ['WITH Tt AS (select 7 as x) select x from TT', [[7]]],
      ['with recursive t(n) as (select 1 union all select n + 1 from t where n < 5 and exists (select 1 from t)) select count(*) from t', [[5]]],
      ['with recursive t(n) as (select 1 union all select n + 1 from t where n < 3), u as (select n from t) select sum(n) from u', [[6]]],
    ];
    for (const [sql, rows] of allowed) {
      const { status, body } = await sqlJson(sql);
      expect(status, `${sql}: ${body.error}`).toBe(200);
      expect(body.rows, sql).toEqual(rows);
    }
  });

  it('stops a query at the time limit with a message that says so', async () => {
    const started = Date.now();
    const { status, body } = await sqlJson('select count(*) from range(100000000000) a');
    expect(status).toBe(400);
    expect(body.error).toMatch(/limit/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('interrupts the query when the client goes away, and the connection serves the next one', async () => {
    const controller = new AbortController();
    const pending = ts
      .fetch('/api/sql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'select count(*) from range(100000000000)' }),
        as: 'analyst',
        signal: controller.signal,
      })
      .catch((err: Error) => err);
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toBeInstanceOf(Error);
    // Both connections of the pool answer at once.
    const [a, b] = await Promise.all([sqlJson('select 1 as x'), sqlJson('select 2 as x')]);
    expect([a.body.rows, b.body.rows]).toEqual([[[1]], [[2]]]);
  });
});
