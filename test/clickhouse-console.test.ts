// POST /api/sql on the ClickHouse engine, against a real two-shard cluster and a real server: the
// DuckDB engine's JSON and Arrow shapes, the platform's figures, and the hostile corpus refused with
// the cluster left as it was.
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../demo/generate.ts';
import { ingestFile } from '../ingest/load.ts';
import { runModels } from '../warehouse/models.ts';
import { ARROW_STREAM } from '../server/sql-run.ts';
import { scaledDecimal } from './helpers/arrow.ts';
import { useClickhouseCluster } from './helpers/clickhouse.ts';
import { tempWarehouse } from './helpers/temp-warehouse.ts';
import { type TestServer, postJson, testServer } from './helpers/test-server.ts';

const CH = useClickhouseCluster();
let ts: TestServer;
/** The same extracts on the DuckDB engine: what the console's answers are compared with. */
let duckdb: Awaited<ReturnType<typeof tempWarehouse>>;

beforeAll(async () => {
  duckdb = await tempWarehouse();
  ts = await testServer({
    warehouse: CH.warehouseSettings('console'),
    // a small export cap, so that the cap's answers can be seen on the demo rows
    settings: { sqlTimeoutMs: 1000, exportMaxRows: 100 },
    prepare: async (wh, dir) => {
      const demo = await generateDemoData({ out: join(dir, 'extracts'), subscribers: 400, months: 1, end: '2026-09', seed: 5 });
      for (const f of demo.files) {
        expect((await ingestFile(wh, f.path)).status).toBe('loaded');
        expect((await ingestFile(duckdb.wh, f.path)).status).toBe('loaded');
      }
      // The models on the cluster too, so the console lists and reads the marts.
      expect((await runModels(wh)).failed).toBe(0);
    },
  });
});
afterAll(async () => {
  await ts?.close();
  duckdb?.dispose();
});

async function sqlJson(sql: string, limit?: number) {
  const res = await postJson(ts, '/api/sql', { sql, ...(limit ? { limit } : {}) }, 'analyst');
  return { status: res.status, body: (await res.json()) as { columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; error?: string } };
}

/** Every database, table and row count on every shard, as the platform's own user sees them. */
async function clusterState(): Promise<string[]> {
  const out: string[] = [];
  for (const s of ts.wh.clickhouse!.shards) {
    const rows = await s.query<{ d: string; t: string }>(
      `SELECT database AS d, name AS t FROM system.tables WHERE database != 'system' ORDER BY d, t`,
    );
    const parts = await s.query<{ d: string; t: string; p: string; n: string }>(
      `SELECT database AS d, table AS t, partition AS p, toString(sum(rows)) AS n FROM system.parts WHERE active AND database != 'system' GROUP BY d, t, p ORDER BY d, t, p`,
    );
    out.push(...parts.map((r) => `${s.index} ${r.d}.${r.t} ${r.p} rows=${r.n}`));
    out.push(...rows.map((r) => `${s.index} ${r.d}.${r.t}`));
    for (const r of rows.filter((x) => x.d === 'console' && !x.t.endsWith('_all') && /^raw_/.test(x.t))) {
      const n = await s.query<{ n: string }>(`SELECT count() AS n FROM console.${r.t}`);
      out.push(`${s.index} ${r.t} rows=${n[0]!.n}`);
    }
    const dbs = await s.query<{ name: string }>('SELECT name FROM system.databases ORDER BY name');
    out.push(`${s.index} databases ${dbs.map((d) => d.name).join(',')}`);
  }
  return out;
}

describe('the SQL console on ClickHouse', () => {
  it('answers JSON in the DuckDB engine’s shape with the same figures, money exact', async () => {
    const sql = `SELECT region_code, count() AS n, sum(amount) AS amount FROM raw_revenue GROUP BY region_code ORDER BY region_code`;
    const { status, body } = await sqlJson(sql);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['columns', 'rows', 'truncated']);
    expect(body.columns).toEqual([
      { name: 'region_code', type: 'String' },
      { name: 'n', type: 'UInt64' },
      { name: 'amount', type: 'Decimal(38, 2)' },
    ]);
    const duck = await duckdb.wh.all<{ region_code: string; n: bigint; amount: { toString(): string } }>(
      `select region_code, count(*) as n, sum(amount) as amount from raw_revenue group by all order by region_code`,
    );
    expect(duck.length).toBeGreaterThan(3);
    expect(body.rows).toEqual(duck.map((r) => [r.region_code, Number(r.n), Number(String(r.amount))]));
    expect(body.truncated).toBe(false);
  });

  it('reads a replicated table inside a query over a sharded one, as on DuckDB (each shard in the platform database)', async () => {
    // A shard runs its part of such a query in its own default database: without the platform's
    // database named, the second shard answered "Table default.raw_channel doesn't exist".
    const one = async (ch: string, duck: string) => {
      const { status, body } = await sqlJson(ch);
      expect(status, JSON.stringify(body)).toBe(200);
      const [row] = await duckdb.wh.all<{ n: bigint }>(duck);
      expect(body.rows, ch).toEqual([[Number(row!.n)]]);
      expect(Number(row!.n)).toBeGreaterThan(0);
    };
    const inChannels = 'SELECT count() AS n FROM raw_subscriber WHERE channel_id IN (SELECT channel_id FROM raw_channel)';
    await one(inChannels, inChannels);
    await one(
      'SELECT count() AS n FROM raw_subscriber s ALL INNER JOIN (SELECT channel_id FROM raw_channel) c USING channel_id',
      'select count(*) as n from raw_subscriber s join (select channel_id from raw_channel) c using (channel_id)',
    );
    // a column named by its table still reads
    await one(
      "SELECT count() AS n FROM raw_subscriber WHERE raw_subscriber.segment = 'household'",
      "select count(*) as n from raw_subscriber where raw_subscriber.segment = 'household'",
    );
  });

  it('caps the rows and says so; dates, times and nulls as on DuckDB', async () => {
    const { body } = await sqlJson(`SELECT subscription_id, activated_on, terminated_on, bundle_id FROM raw_subscriber ORDER BY subscription_id`, 3);
    expect(body.rows).toHaveLength(3);
    expect(body.truncated).toBe(true);
    const duck = await duckdb.wh.all<{ s: string; a: string; t: string | null; b: string | null }>(
      `select subscription_id as s, strftime(activated_on, '%Y-%m-%d') as a, strftime(terminated_on, '%Y-%m-%d') as t, bundle_id as b
       from raw_subscriber order by subscription_id limit 3`,
    );
    expect(body.rows).toEqual(duck.map((d) => [d.s, d.a, d.t, d.b]));
    expect(body.rows.flat()).toContain(null);
    const times = await sqlJson(`SELECT received_at, resolved_at FROM raw_complaint ORDER BY complaint_id`);
    const duckTimes = await duckdb.wh.all<{ r: string; s: string | null }>(
      `select strftime(received_at, '%Y-%m-%d %H:%M:%S') as r, strftime(resolved_at, '%Y-%m-%d %H:%M:%S') as s from raw_complaint order by complaint_id`,
    );
    expect(duckTimes.length).toBeGreaterThan(0);
    expect(times.body.rows).toEqual(duckTimes.map((d) => [d.r, d.s]));
  });

  it('answers Arrow from the same endpoint, decimals exact, X-Truncated as a header', async () => {
    const res = await postJson(ts, '/api/sql', { sql: 'SELECT channel_id, commission, opened_on FROM raw_channel ORDER BY channel_id', limit: 5 }, 'analyst', { accept: ARROW_STREAM });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(ARROW_STREAM);
    expect(res.headers.get('x-truncated')).toBe('true');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.numRows).toBe(5);
    const duck = await duckdb.wh.all<{ channel_id: string; c: string | null; o: string }>(
      `select channel_id, commission::varchar as c, strftime(opened_on, '%Y-%m-%d') as o from raw_channel order by channel_id limit 5`,
    );
    const ids = table.getChild('channel_id')!.toArray() as string[];
    expect([...ids]).toEqual(duck.map((d) => d.channel_id));
    const commission = table.getChild('commission')!;
    for (const [i, d] of duck.entries()) {
      const cell = commission.get(i) as Uint32Array | null;
      expect(cell === null ? null : scaledDecimal(cell)).toEqual(d.c === null ? null : BigInt(d.c.replace('.', '')));
      expect(new Date(table.getChild('opened_on')!.get(i) as number).toISOString().slice(0, 10)).toBe(d.o);
    }
  });

  it('refuses the hostile corpus (400, reason given) and leaves the cluster as it was', async () => {
    const tcp = CH.cluster.shards[1]!.tcpPort;
    const http = CH.cluster.shards[1]!.httpPort;
    const corpus = [
      `SELECT * FROM file('/etc/passwd', 'CSV', 'a String')`,
      `SELECT * FROM url('http://127.0.0.1:${http}/?query=DROP%20TABLE%20console.raw_channel', CSV, 'a String')`,
      `SELECT * FROM remote('127.0.0.1:${tcp}', system.one)`,
      `SELECT * FROM remote('127.0.0.1:${tcp}', console.raw_channel)`,
      `SELECT * FROM cluster('tca', console.raw_channel)`,
      `SELECT * FROM numbers(100000000000)`,
      `SELECT * FROM system.users`,
      `SELECT name FROM system.tables`,
      'SELECT * FROM `system`.`processes`',
      `SET max_execution_time = 0`,
      `INSERT INTO raw_channel SELECT * FROM raw_channel`,
      `ALTER TABLE raw_channel DELETE WHERE 1`,
      `ALTER TABLE raw_subscriber_local DROP PARTITION (202609, '330100')`,
      `KILL QUERY WHERE 1`,
      `SELECT sleep(3) SETTINGS max_execution_time = 0`,
      `SELECT 1 FORMAT TabSeparated`,
      `SELECT 1; DROP TABLE raw_channel`,
      `DROP TABLE raw_channel`,
      `TRUNCATE TABLE raw_subscriber_local`,
      `CREATE TABLE x (a Int8) ENGINE = Memory`,
      `SELECT * FROM raw_subscriber_staging`,
      `SELECT * FROM default.anything`,
    ];
    const before = await clusterState();
    expect(before.join('\n')).toMatch(/raw_channel rows=[1-9]/);
    for (const sql of corpus) {
      const res = await postJson(ts, '/api/sql', { sql }, 'analyst');
      const text = await res.text();
      expect(res.status, `${sql}: ${text}`).toBe(400);
      expect(text, sql).toMatch(/[\u4e00-\u9fff]/);
      expect(text, sql).not.toMatch(/\n\s+at /);
    }
    expect(await clusterState()).toEqual(before);
  });

  it('lists what the console may read in GET /api/schema: the Distributed and replicated tables, not shard parts or staging', async () => {
    const res = await ts.fetch('/api/schema', { as: 'analyst' });
    expect(res.status).toBe(200);
    const { tables } = (await res.json()) as { tables: { schema: string; name: string; kind: string; columns: { name: string; type: string }[] }[] };
    const names = tables.map((t) => t.name);
    for (const t of ['raw_subscriber', 'raw_channel', 'raw_complaint', 'raw_revenue']) expect(names).toContain(t);
    expect(names.filter((n) => /(_local|_staging|_staging_all|__new)$/.test(n) || n === 'ctl_model_state')).toEqual([]);
    expect(names).toContain('mart_kpis');
    expect(tables.find((t) => t.name === 'raw_revenue')!.columns).toContainEqual({ name: 'amount', type: 'Decimal(18, 2)' });
    // Every table listed can be read through the console.
    for (const t of tables) expect((await sqlJson(`SELECT count() FROM ${t.name}`)).status, t.name).toBe(200);
  });

  it('exports from the cluster under the same check (system.* and url() refused), Parquet refused with the reason', async () => {
    for (const sql of ["SELECT * FROM url('http://127.0.0.1:1/', CSV, 'a String')", 'SELECT * FROM system.users']) {
      const res = await postJson(ts, '/api/sql/export', { sql, format: 'csv' }, 'analyst');
      expect(res.status, sql).toBe(400);
    }
    const parquet = await postJson(ts, '/api/sql/export', { sql: 'SELECT * FROM mart_kpis', format: 'parquet' }, 'analyst');
    expect(parquet.status).toBe(400);
    expect(await parquet.text()).toMatch(/Parquet.*ClickHouse.*导出/s);
  });

  it('cuts a CSV export over the cap and notes the cap in an XLSX one; at the cap both are whole', async () => {
    const exportOf = (sql: string, format: string) => postJson(ts, '/api/sql/export', { sql, format }, 'analyst');
    const over = 'SELECT subscription_id, period FROM raw_subscriber ORDER BY subscription_id';
    const rows = await duckdb.wh.all<{ id: string }>('select subscription_id as id from raw_subscriber order by subscription_id');
    expect(rows.length).toBeGreaterThan(100);
    // CSV: the answer had started, so it is cut — never a file that looks whole
    const csv = await exportOf(over, 'csv');
    expect(csv.status).toBe(200);
    await expect(csv.arrayBuffer()).rejects.toThrow();
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.load(await (await exportOf(over, 'xlsx')).arrayBuffer());
    expect(xlsx.worksheets[0]!.rowCount).toBe(101);
    expect(xlsx.worksheets[0]!.getRow(101).getCell(1).value).toBe(rows[99]!.id);
    expect(String(xlsx.worksheets[1]!.getRow(2).getCell(1).value)).toContain("server's export cap (100)");
    // at the cap: whole, the rows of the DuckDB engine
    const whole = await exportOf(`${over} LIMIT 100`, 'csv');
    const lines = (await whole.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.length).toBe(102);
    expect(lines.slice(1, 101).map((l) => l.split(',')[0])).toEqual(rows.slice(0, 100).map((r) => r.id));
    const full = new ExcelJS.Workbook();
    await full.xlsx.load(await (await exportOf(`${over} LIMIT 100`, 'xlsx')).arrayBuffer());
    expect(full.worksheets.length).toBe(1);
  });

  it('has the readonly user as its second layer: the cluster itself refuses its writes', async () => {
    const ro = ts.wh.clickhouse!.readonlyShard();
    await expect(ro.command(`INSERT INTO console.raw_channel SELECT * FROM console.raw_channel`)).rejects.toThrow(/readonly/i);
    await expect(ro.command(`CREATE TABLE console.x (a Int8) ENGINE = Memory`)).rejects.toThrow(/readonly/i);
    await expect(ro.command(`SET readonly = 0`)).rejects.toThrow(/readonly/i);
  });

  it('stops the query on every shard when the client leaves an export, and records it as cancelled', async () => {
    const dp = ts.wh.clickhouse!;
    const readonlyUser = dp.settings.readonlyUser!;
    const running = async () => {
      const rows = [];
      for (const s of dp.shards) rows.push(...(await s.query(`SELECT query_id FROM system.processes WHERE initial_user = '${readonlyUser}'`)));
      return rows;
    };
    // 20 million rows on each shard, read through a Distributed table like the platform's own, and a
    // hundred hashes a row: a sum that runs for a minute on both shards and writes nothing before its
    // end, so the cluster cannot see the client go.
    for (const s of dp.shards) {
      await s.command('CREATE TABLE cancel_rows_local (n UInt64) ENGINE = MergeTree ORDER BY tuple()');
      await s.command('INSERT INTO cancel_rows_local SELECT number FROM numbers(20000000)');
      await s.command(`CREATE TABLE cancel_rows AS cancel_rows_local ENGINE = Distributed(${dp.settings.cluster}, ${dp.settings.database}, cancel_rows_local)`);
    }
    try {
      const controller = new AbortController();
      const answer = fetch(`${ts.url}/api/sql/export`, {
        method: 'POST',
        headers: { cookie: await ts.cookie('analyst'), 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT sum(sipHash64(n, i)) AS h FROM cancel_rows ARRAY JOIN range(100) AS i', format: 'csv' }),
        signal: controller.signal,
      }).catch((err: unknown) => err);
      // running on both shards: the first shard's query and its part on the second
      const deadline = Date.now() + 20_000;
      while ((await running()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await running()).length).toBe(2);
      await new Promise((r) => setTimeout(r, 1000));
      controller.abort();
      expect(await answer).toBeInstanceOf(Error);
      // gone from every shard within seconds, not at the end of its minute (or the export's half-hour limit)
      const left = Date.now();
      while ((await running()).length > 0 && Date.now() - left < 10_000) await new Promise((r) => setTimeout(r, 100));
      expect(await running()).toEqual([]);
      const history = (await (await ts.fetch('/api/queries/history?limit=1', { as: 'analyst' })).json()) as { history: { kind: string; error: string | null }[] };
      expect(history.history[0]).toMatchObject({ kind: 'export', error: expect.stringContaining('cancel') });
    } finally {
      for (const s of dp.shards) {
        // (a query still reading the table would hold its DROP until it ends)
        await s.command(`KILL QUERY WHERE initial_user = '${readonlyUser}' SYNC`);
        await s.command('DROP TABLE IF EXISTS cancel_rows');
        await s.command('DROP TABLE IF EXISTS cancel_rows_local');
      }
    }
  }, 90_000);

  it('stops a query at the time limit it sets itself', async () => {
    // The channels to the fourth power: about 2.5 s of work on a quiet machine (and much longer on a
    // busy one), so the server's 1 s limit stops it. (At a 3 s limit a quiet machine finished it.)
    const { status, body } = await sqlJson(
      `SELECT count() FROM (SELECT 1 FROM raw_channel a CROSS JOIN raw_channel b) CROSS JOIN (SELECT 1 FROM raw_channel c CROSS JOIN raw_channel d)`,
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(/1 s limit/);
  });
});
