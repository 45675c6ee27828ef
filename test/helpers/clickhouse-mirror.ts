// The same extracts on both engines: a DuckDB warehouse's loads, slices and raw rows copied into a
// warehouse opened with WAREHOUSE_ENGINE=clickhouse — its control plane (its own DuckDB file) gets
// the loads and slices, the cluster gets the raw rows: revenue, subscriber and complaint rows through
// the Distributed tables (so each lands on the shard its customer_id's hash names, the rule of
// warehouse/clickhouse/distributed.sql), channel rows on every shard. What ingest leaves, without
// going through ingest, so the ClickHouse models can be compared with the DuckDB ones on the same rows.
import { join } from 'node:path';
import { DATA_KINDS } from '../../domain/contracts.ts';
import { Warehouse } from '../../warehouse/db.ts';
import type { ClickhouseSettings } from '../../warehouse/clickhouse/settings.ts';
import { tempDir } from './temp-warehouse.ts';

export interface MirroredWarehouse {
  wh: Warehouse;
  /** Copies `source`'s loads, slices and raw rows again, replacing what the cluster held. */
  sync: () => Promise<void>;
  dispose: () => Promise<void>;
}

/** Opens a ClickHouse-engine warehouse (control plane in a temp DuckDB file) holding `source`'s loads and rows. */
export async function mirrorToClickhouse(source: Warehouse, settings: ClickhouseSettings): Promise<MirroredWarehouse> {
  const { dir, remove } = tempDir('chw-');
  const wh = await Warehouse.open({ path: join(dir, 'control.duckdb'), memoryLimit: '512MB', threads: 2, engine: 'clickhouse', clickhouse: settings });
  const sync = async () => {
    await copyControlPlane(source, wh, dir);
    await copyRawRows(source, wh);
  };
  try {
    await sync();
  } catch (err) {
    wh.close();
    remove();
    throw err;
  }
  return {
    wh,
    sync,
    dispose: async () => {
      wh.close();
      remove();
    },
  };
}

async function copyControlPlane(source: Warehouse, target: Warehouse, dir: string): Promise<void> {
  for (const table of ['loads', 'load_slices']) {
    const file = join(dir, `${table}.parquet`);
    await source.run(`copy (select * from ${table}) to '${file}' (format parquet)`);
    await target.run(`delete from ${table}`);
    await target.run(`insert into ${table} select * from read_parquet('${file}')`);
  }
}

function tsvField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function copyRawRows(source: Warehouse, target: Warehouse): Promise<void> {
  const dp = target.clickhouse;
  if (!dp) throw new Error('mirrorToClickhouse: the target warehouse is not on the ClickHouse engine');
  for (const kind of DATA_KINDS) {
    // each shard's own table of the kind, emptied
    for (const shard of dp.shards) await shard.command(`TRUNCATE TABLE ${kind === 'channel' ? 'raw_channel' : `raw_${kind}_local`}`);
    const columns = await source.all<{ name: string; type: string }>(
      `select column_name as name, data_type as type from information_schema.columns where table_name = $t order by ordinal_position`,
      { t: `raw_${kind}` },
    );
    if (columns.length === 0) continue;
    const select = columns
      .map((c) =>
        c.type === 'BOOLEAN'
          ? `${c.name}::int::varchar`
          : c.type.startsWith('TIMESTAMP')
            ? `strftime(${c.name}, '%Y-%m-%d %H:%M:%S')`
            : `${c.name}::varchar`,
      )
      .map((expr, i) => `${expr} as ${columns[i]!.name}`)
      .join(', ');
    const rows = await source.all<Record<string, string | null>>(`select ${select} from raw_${kind}`);
    if (rows.length === 0) continue;
    const names = columns.map((c) => c.name);
    const tsv = rows.map((r) => names.map((n) => tsvField(r[n] ?? null)).join('\t')).join('\n') + '\n';
    const insert = `INSERT INTO raw_${kind} (${names.join(', ')}) FORMAT TabSeparated\n${tsv}`;
    // channel rows are replicated: every shard's raw_channel holds them all
    const shards = kind === 'channel' ? dp.shards : [dp.first];
    for (const shard of shards) await shard.command(insert, { insert_distributed_sync: 1 });
  }
}
