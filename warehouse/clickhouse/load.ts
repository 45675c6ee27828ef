// Loads on the ClickHouse engine: ingest reads and checks a file in DuckDB exactly as on the DuckDB
// engine (the warehouse-wide key check asks the cluster: clickhouse/keys.ts) and commits it there —
// the load record, its slices and rejects in the control plane, its rows in the DuckDB raw table as an
// outbox; then `pushPendingLoads` carries every committed load's slices to the cluster:
//
//   1. the slices of the pending loads (loads 'loaded' without a 'done' row in clickhouse_pushes);
//   2. the staging tables emptied on every shard (dropped and created: emptyStaging), then filled with the slices' current rows, read
//      from DuckDB as CSV: sharded kinds through raw_<kind>_staging_all (insert_distributed_sync=1, so
//      ClickHouse routes each row by the reading table's own sharding expression), channel rows into
//      every shard's staging;
//   3. the staged counts checked against DuckDB's, per slice and shard, before anything is swapped;
//   4. on every shard, each (month, region) partition swapped in with REPLACE PARTITION (an empty
//      staging partition empties the slice), staging emptied; then, in one DuckDB transaction, the
//      loads marked 'done' and their rows dropped from the DuckDB file, which keeps only the control
//      plane (and the targets, which are the control plane's own).
//
// The journal is the control plane itself: a load is pending from the commit of its DuckDB transaction
// until step 4 ends, and its rows stay in the DuckDB file until then. A process killed anywhere leaves
// it pending, and the next `Warehouse.open` (every command, the server's start) runs the push again
// from DuckDB's rows; every step replaces rather than adds, so a push run twice leaves each slice
// exactly as once. A load killed before its DuckDB commit is 'crashed' there and never reaches the
// cluster.
import { Readable } from 'node:stream';
import { DATA_KINDS } from '../../domain/contracts.ts';
import { shanghaiTimestamp } from '../../domain/time.ts';
import type { Warehouse } from '../db.ts';
import { quoteIdent } from '../db.ts';
import { type ClickhouseDataPlane, REPLICATED_KINDS, literal, localTable, stagingTable } from './data-plane.ts';

export interface PushResult {
  loads: number[];
  slices: number;
  rows: number;
}

interface Slice {
  kind: string;
  region_code: string;
  period: string; // YYYY-MM-DD
  rows: number;
}

/** The journal table in the control plane (DuckDB), created when the ClickHouse engine first opens it. */
export async function ensureJournal(wh: Warehouse): Promise<void> {
  await wh.run(
    `create table if not exists clickhouse_pushes (
       load_id    bigint primary key,
       state      varchar not null,   -- staging | swapping | done
       updated_at timestamp not null  -- Asia/Shanghai wall time
     )`,
  );
}

async function mark(wh: Warehouse, loads: number[], state: string): Promise<void> {
  await wh.transaction(() => markRows(wh, loads, state));
}

/** The same inside a transaction already open. */
async function markRows(wh: Warehouse, loads: number[], state: string): Promise<void> {
  for (const id of loads) {
    await wh.run(`insert or replace into clickhouse_pushes values ($id, $state, $t::timestamp)`, { id, state, t: shanghaiTimestamp() });
  }
}

/** Carries every committed load not yet on the cluster to it; nothing to do on the DuckDB engine. */
export async function pushPendingLoads(wh: Warehouse): Promise<PushResult> {
  const ch = wh.clickhouse;
  if (!ch) return { loads: [], slices: 0, rows: 0 };
  await ensureJournal(wh);
  const loads = (
    await wh.all<{ load_id: bigint }>(
      `select load_id from loads l where status = 'loaded'
         and not exists (select 1 from clickhouse_pushes p where p.load_id = l.load_id and p.state = 'done')
       order by load_id`,
    )
  ).map((r) => Number(r.load_id));
  if (loads.length === 0) {
    await dropPushedRows(wh); // rows a version before this one left in the file
    return { loads, slices: 0, rows: 0 };
  }

  // Targets stay in the control plane (queries/targets.ts reads raw_target there): only data goes out.
  await wh.run(
    `create or replace temp table ch_push_slices as
     select distinct kind, region_code, period from load_slices where load_id in (${loads.map((l) => String(Math.trunc(l))).join(', ')})
       and kind <> 'target'`,
  );
  const kinds = (await wh.all<{ kind: string }>('select distinct kind from ch_push_slices order by kind')).map((r) => r.kind);
  // The rows each slice holds now in DuckDB (a later load may have replaced an earlier one's slice).
  const slices: Slice[] = [];
  for (const kind of kinds) {
    const rows = await wh.all<{ region_code: string; period: string; n: bigint }>(
      `select s.region_code, strftime(s.period, '%Y-%m-%d') as period, count(r.period) as n
       from ch_push_slices s left join ${quoteIdent(`raw_${kind}`)} r on r.region_code = s.region_code and r.period = s.period
       where s.kind = $kind group by all order by 2, 1`,
      { kind },
    );
    for (const r of rows) slices.push({ kind, region_code: r.region_code, period: r.period, rows: Number(r.n) });
  }

  await mark(wh, loads, 'staging');
  for (const kind of kinds) await emptyStaging(ch, kind);
  let total = 0;
  for (const kind of kinds) {
    total += await stageKind(wh, ch, kind);
    await checkStaged(ch, kind, slices.filter((s) => s.kind === kind));
  }

  await mark(wh, loads, 'swapping');
  for (const shard of ch.shards) {
    for (const s of slices) {
      const partition = `(${s.period.slice(0, 4)}${s.period.slice(5, 7)}, ${literal(s.region_code)})`;
      await shard.command(`ALTER TABLE ${localTable(s.kind)} REPLACE PARTITION ${partition} FROM ${stagingTable(s.kind)}`);
    }
    testHook(`after-shard-${shard.index}`);
  }
  for (const kind of kinds) await emptyStaging(ch, kind);
  await wh.transaction(async () => {
    await markRows(wh, loads, 'done');
    await dropPushedRows(wh);
  });
  await wh.run('drop table if exists ch_push_slices');
  return { loads, slices: slices.length, rows: total };
}

/**
 * The DuckDB file is the control plane: once the cluster holds a load's rows, its copy here goes (in
 * the transaction that marks the push done, so a row is always in one place or both, never neither).
 * Targets stay: they are the control plane's own.
 */
async function dropPushedRows(wh: Warehouse): Promise<void> {
  for (const kind of DATA_KINDS) {
    await wh.run(
      `delete from ${quoteIdent(`raw_${kind}`)} r
       where exists (select 1 from clickhouse_pushes p where p.load_id = r.load_id and p.state = 'done')`,
    );
  }
}

/**
 * A staging table emptied by dropping and creating it again, not by TRUNCATE: on 18.16 a background
 * merge of staged parts that is running when TRUNCATE drops them still commits its merged part
 * afterwards, and those rows would be swapped in by the next load of their slice. DROP cancels the
 * table's merges and waits for them.
 */
export async function emptyStaging(ch: ClickhouseDataPlane, kind: string): Promise<void> {
  await ch.onEachShard(`DROP TABLE IF EXISTS ${stagingTable(kind)}`);
  await ch.onEachShard(`CREATE TABLE ${stagingTable(kind)} AS ${localTable(kind)}`);
}

/**
 * For the crash tests: TCA_CLICKHOUSE_TEST_KILL=after-shard-1 kills this process (SIGKILL, nothing
 * cleaned up) right after the first shard's swaps, before the second's.
 */
function testHook(point: string): void {
  if (process.env.TCA_CLICKHOUSE_TEST_KILL === point) process.kill(process.pid, 'SIGKILL');
}

/** The DuckDB raw columns of a kind, in table order (the ClickHouse tables have the same). */
export async function rawColumns(wh: Warehouse, kind: string): Promise<{ name: string; type: string }[]> {
  return (
    await wh.all<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = 'main' and table_name = $t order by ordinal_position`,
      { t: `raw_${kind}` },
    )
  ).map((c) => ({ name: c.column_name, type: c.data_type }));
}

/** One CSV field for ClickHouse (`\N` for NULL), computed by DuckDB from column `name` of `alias`. */
export function csvField(name: string, type: string, alias = 'r'): string {
  const c = `${alias}.${quoteIdent(name)}`;
  let text: string;
  if (type === 'VARCHAR' || type === 'JSON') text = `'"' || replace(${c}::varchar, '"', '""') || '"'`;
  else if (type === 'DATE') text = `strftime(${c}, '%Y-%m-%d')`;
  else if (type === 'TIMESTAMP') text = `strftime(${c}, '%Y-%m-%d %H:%M:%S')`;
  else if (type === 'BOOLEAN') text = `(${c}::integer)::varchar`;
  else text = `${c}::varchar`; // BIGINT, INTEGER, DECIMAL(18,2): DuckDB's text is ClickHouse's
  return `coalesce(${text}, '\\N')`;
}

/** Streams the slices' rows of a kind from DuckDB into the cluster's staging; returns the row count. */
async function stageKind(wh: Warehouse, ch: ClickhouseDataPlane, kind: string): Promise<number> {
  const cols = await rawColumns(wh, kind);
  const line = cols.map((c) => csvField(c.name, c.type)).join(` || ',' || `);
  const sql = `select ${line} || chr(10) as line from ${quoteIdent(`raw_${kind}`)} r
    where exists (select 1 from ch_push_slices s where s.kind = '${kind.replace(/'/g, "''")}' and s.region_code = r.region_code and s.period = r.period)
    order by r.period, r.region_code`;
  // In partition order: ClickHouse cuts the stream into blocks of a million rows and writes a part per
  // partition a block touches, so unsorted rows leave every (month, region) in as many small parts as
  // there are blocks (4.7 per partition at 1M × 12, and the models read them 15% slower); sorted, a
  // partition is in one block or two.
  const replicated = (REPLICATED_KINDS as readonly string[]).includes(kind);
  const targets = replicated
    ? ch.shards.map((shard) => ({ shard, table: stagingTable(kind), settings: {} }))
    : ch.settings.cluster
      ? [{ shard: ch.first, table: `${stagingTable(kind)}_all`, settings: { insert_distributed_sync: 1 } }]
      : [{ shard: ch.first, table: stagingTable(kind), settings: {} }];
  let rows = 0;
  for (const [i, t] of targets.entries()) {
    const lines = await lineStream(wh, sql);
    await t.shard.insertCsv(t.table, lines.source, t.settings);
    if (i === 0) rows = lines.rows();
  }
  return rows;
}

/** A DuckDB query's one text column (CSV lines, each ending in a newline) as a byte stream; rows() counts what it sent. */
export async function lineStream(wh: Warehouse, sql: string): Promise<{ source: Readable; rows: () => number }> {
  const result = await wh.conn.stream(sql);
  let counted = 0;
  const source = Readable.from(
    (async function* () {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        counted += chunk.rowCount;
        yield Buffer.from((chunk.getColumnValues(0) as string[]).join(''), 'utf8');
      }
    })(),
    { objectMode: false },
  );
  return { source, rows: () => counted };
}

/** The staged rows per slice equal DuckDB's (sharded: summed over the shards; channel: on each). */
async function checkStaged(ch: ClickhouseDataPlane, kind: string, slices: Slice[]): Promise<void> {
  const replicated = (REPLICATED_KINDS as readonly string[]).includes(kind);
  const perShard = await Promise.all(
    ch.shards.map((shard) =>
      shard.query<{ region_code: string; period: string; n: string }>(
        `SELECT region_code, toString(period) AS period, count() AS n FROM ${stagingTable(kind)} GROUP BY region_code, period`,
      ),
    ),
  );
  const key = (r: { region_code: string; period: string }) => `${r.region_code} ${r.period}`;
  const want = new Map(slices.map((s) => [key(s), s.rows]));
  const sums = new Map<string, number>();
  for (const [i, rows] of perShard.entries()) {
    const here = new Map(rows.map((r) => [key(r), Number(r.n)]));
    if (replicated) compare(here, want, `${kind} on shard ${i + 1}`);
    for (const [k, n] of here) sums.set(k, (sums.get(k) ?? 0) + n);
  }
  if (!replicated) compare(sums, want, kind);
}

function compare(got: Map<string, number>, want: Map<string, number>, what: string): void {
  for (const k of new Set([...got.keys(), ...want.keys()])) {
    if ((got.get(k) ?? 0) !== (want.get(k) ?? 0)) {
      throw new Error(
        `ClickHouse staging of ${what}, slice ${k}: ${got.get(k) ?? 0} rows staged, ${want.get(k) ?? 0} expected; nothing was swapped, ` +
          `the next command retries / ClickHouse 暂存行数与预期不符，未替换任何分区，下次命令将重试`,
      );
    }
  }
}
