// Owns the DuckDB database: opening it with the project's settings, migrations, and a thin
// query helper. Every module that touches the warehouse goes through here (the engine seam:
// engine.ts).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { EngineName } from './engine.ts';
import { ClickhouseDataPlane } from './clickhouse/data-plane.ts';
import type { ClickhouseSettings } from './clickhouse/settings.ts';
import { pushPendingLoads } from './clickhouse/load.ts';
import { enrichWarehouseError } from './errors.ts';
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { TIME_ZONE, shanghaiTimestamp } from '../domain/time.ts';

export interface WarehouseSettings {
  /** The data plane's engine (engine.ts); DuckDB when absent. */
  engine?: EngineName;
  /** The cluster, when engine is 'clickhouse' (clickhouse/settings.ts). */
  clickhouse?: ClickhouseSettings;
  /** Path of the DuckDB file, or ':memory:'. */
  path: string;
  /** DuckDB memory_limit, e.g. '1GB'. */
  memoryLimit: string;
  threads?: number;
}

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export class Warehouse {
  private constructor(
    readonly settings: WarehouseSettings,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    /** A fork shares the instance of the Warehouse it came from and must not close it. */
    private readonly ownsInstance = true,
    /**
     * The data plane on a ClickHouse cluster (WAREHOUSE_ENGINE=clickhouse), shared by forks; null on
     * DuckDB, where the data plane is this same file.
     */
    readonly clickhouse: ClickhouseDataPlane | null = null,
  ) {}

  /** Opens (creating when missing) the warehouse file, applies settings and pending migrations. */
  static async open(settings: WarehouseSettings): Promise<Warehouse> {
    if (settings.path !== ':memory:') mkdirSync(dirname(settings.path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(settings.path, {
        memory_limit: settings.memoryLimit,
        ...(settings.threads ? { threads: String(settings.threads) } : {}),
      });
    } catch (err) {
      throw enrichWarehouseError(err, settings.path);
    }
    const conn = await instance.connect();
    let clickhouse: ClickhouseDataPlane | null = null;
    if (settings.engine === 'clickhouse') {
      if (!settings.clickhouse) throw new Error('WAREHOUSE_ENGINE=clickhouse without its settings (warehouse/config.ts)');
      try {
        clickhouse = await ClickhouseDataPlane.open(settings.clickhouse);
      } catch (err) {
        conn.closeSync();
        instance.closeSync();
        throw err;
      }
    }
    const wh = new Warehouse(settings, instance, conn, true, clickhouse);
    try {
      await wh.configure(conn);
      await wh.migrate();
      // A load committed here but not (wholly) on the cluster — its process killed mid-push — is
      // completed now, before this command or server does anything else (clickhouse/load.ts).
      if (clickhouse) await pushPendingLoads(wh);
    } catch (err) {
      if (clickhouse) wh.close();
      throw err;
    }
    return wh;
  }

  /** Settings every connection needs (TimeZone is per connection in DuckDB). */
  async configure(conn: DuckDBConnection): Promise<void> {
    await conn.run(`LOAD icu; SET TimeZone = '${TIME_ZONE}'`);
  }

  /** A second connection on the same database, configured like the first. */
  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    await this.configure(conn);
    return conn;
  }

  /**
   * The same database through a connection of its own: reads (or small writes) that must not wait
   * behind a long load or model run on this one. DuckDB's MVCC gives each a consistent snapshot.
   */
  async fork(): Promise<Warehouse> {
    return new Warehouse(this.settings, this.instance, await this.connect(), false, this.clickhouse);
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Rows as objects; BIGINT comes back as bigint, DECIMAL as number, DATE/TIMESTAMP as Date. */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs fn inside one transaction on this connection; rolls back on any error. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.conn.run('COMMIT');
      return result;
    } catch (err) {
      try {
        await this.conn.run('ROLLBACK');
      } catch {
        // the transaction may already be aborted by DuckDB; the original error is what matters
      }
      throw err;
    }
  }

  close(): void {
    this.conn.closeSync();
    if (this.ownsInstance) {
      this.instance.closeSync();
      void this.clickhouse?.close();
    }
  }

  /** Applies every migrations/NNN_name.sql not yet recorded, each in its own transaction. */
  private async migrate(): Promise<void> {
    await this.run(
      `create table if not exists schema_migrations (version integer primary key, name varchar, applied_at timestamp)`,
    );
    const done = new Set((await this.all<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{3}_.*\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const version = Number(file.slice(0, 3));
      if (done.has(version)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      await this.transaction(async () => {
        await this.conn.run(sql);
        await this.run(`insert into schema_migrations values ($v, $n, $t::timestamp)`, {
          v: version,
          n: file,
          t: shanghaiTimestamp(),
        });
        if (version === 1) await seedRegions(this);
      });
    }
    // Only one process can hold the file, so a load still 'running' when we open it died with its process.
    await this.run(
      `update loads set status = 'crashed', finished_at = $t::timestamp,
         message = coalesce(message, 'the loading process ended before it finished; nothing of this file was loaded')
       where status = 'running'`,
      { t: shanghaiTimestamp() },
    );
  }
}

async function seedRegions(wh: Warehouse): Promise<void> {
  for (const c of ZHEJIANG_CITIES) {
    await wh.run('insert into regions values ($code, $zh, $en)', { code: c.code, zh: c.nameZh, en: c.nameEn });
  }
}

/** SQL identifier quoting: the one way identifiers enter SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL string literal quoting, for the few places DuckDB takes no parameter (file paths in read_csv). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
