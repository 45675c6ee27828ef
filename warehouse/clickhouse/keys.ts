// The warehouse-wide key check of ingest on the ClickHouse engine. On DuckDB, ingest joins a file's
// keys with the raw table; here the raw rows live on the cluster (the DuckDB file keeps only the rows
// of a load not yet pushed), so the file's keys go to the first shard as a small Memory table, the
// cluster answers which rows outside the file's own slices carry one of them (GLOBAL IN: a key that
// names no customer may sit on any shard), and the answer comes back into the DuckDB temp table
// `ch_key_hits`, which ingest reads beside the DuckDB raw table.
import type { Warehouse } from '../db.ts';
import { quoteIdent } from '../db.ts';
import { REPLICATED_KINDS, ident, literal, localTable } from './data-plane.ts';
import { csvField, lineStream, rawColumns } from './load.ts';

/** How many hit rows one DuckDB insert statement carries. */
const BATCH = 500;

/**
 * Fills the DuckDB temp table `ch_key_hits` (the key columns, load_id, region_code, period) with the
 * cluster's rows whose key is one of `keysSql`'s, outside the slices this file replaces and the slices
 * of loads not yet pushed (their current rows are the DuckDB table's). Returns the columns it has.
 */
export async function clusterKeyHits(wh: Warehouse, kind: string, key: readonly string[], keysSql: string): Promise<string[]> {
  const ch = wh.clickhouse;
  if (!ch) throw new Error('clusterKeyHits: not on the ClickHouse engine');
  const columns = [...new Set([...key, 'load_id', 'region_code', 'period'])];
  const types = new Map((await rawColumns(wh, kind)).map((c) => [c.name, c.type]));
  await wh.run(
    `create or replace temp table ch_key_hits (${columns.map((c) => `${quoteIdent(c)} ${types.get(c) ?? 'varchar'}`).join(', ')})`,
  );

  // 1. the file's keys to the first shard
  const table = `ingest_keys_${kind}`;
  const first = ch.first;
  await first.command(`DROP TABLE IF EXISTS ${ident(table)}`);
  await first.command(
    `CREATE TABLE ${ident(table)} ENGINE = Memory AS SELECT ${key.map(ident).join(', ')} FROM ${localTable(kind)} WHERE 0`,
  );
  try {
    const line = key.map((k) => csvField(k, types.get(k) ?? 'VARCHAR', 'k')).join(` || ',' || `);
    const keys = await lineStream(wh, `select distinct ${line} || chr(10) as line from (${keysSql}) k`);
    await first.insertCsv(table, keys.source);

    // 2. the cluster's rows with those keys, outside the excluded slices
    const excluded = await wh.all<{ region_code: string; period: string }>(
      `select distinct region_code, strftime(period, '%Y-%m-%d') as period from (
         select region_code, period from slice
         union all
         select s.region_code, s.period from load_slices s join loads l using (load_id)
         where s.kind = $kind and l.status = 'loaded'
           and not exists (select 1 from clickhouse_pushes p where p.load_id = s.load_id and p.state = 'done'))
       where period is not null`,
      { kind },
    );
    const sharded = ch.settings.cluster && !(REPLICATED_KINDS as readonly string[]).includes(kind);
    const tuple = (cols: readonly string[]) => (cols.length === 1 ? ident(cols[0]!) : `(${cols.map(ident).join(', ')})`);
    const outside = excluded.length
      ? ` AND (region_code, period) NOT IN (${excluded.map((s) => `(${literal(s.region_code)}, toDate(${literal(s.period)}))`).join(', ')})`
      : '';
    // (aliases of their own: ClickHouse lets an alias shadow its column inside WHERE)
    const hits = await ch.query<Record<string, string | null>>(
      `SELECT ${columns.map((c, j) => `toString(${ident(c)}) AS out_${j}`).join(', ')} FROM raw_${kind}
       WHERE ${tuple(key)} ${sharded ? 'GLOBAL IN' : 'IN'} (SELECT ${key.map(ident).join(', ')} FROM ${ident(table)})${outside}`,
    );

    // 3. the answer into DuckDB
    for (let i = 0; i < hits.length; i += BATCH) {
      const batch = hits.slice(i, i + BATCH);
      const values: Record<string, string | null> = {};
      const tuples = batch.map((row, r) => {
        const cells = columns.map((c, j) => {
          values[`v${r}_${j}`] = row[`out_${j}`] ?? null;
          return `$v${r}_${j}::${types.get(c) ?? 'varchar'}`;
        });
        return `(${cells.join(', ')})`;
      });
      await wh.run(`insert into ch_key_hits values ${tuples.join(', ')}`, values);
    }
  } finally {
    await first.command(`DROP TABLE IF EXISTS ${ident(table)}`);
  }
  return columns;
}
