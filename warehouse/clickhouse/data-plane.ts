// The ClickHouse engine's data plane: one HTTP client per shard (the official @clickhouse/client, with
// an explicit format on every call — 18.16 knows no newer defaults), the database and the raw layer
// created on each shard, and the few calls the rest of the platform makes (docs/architecture.md,
// "The engine seam"):
//
//   query(sql)        rows (JSON objects) of a read on the first shard, which fans out to the others
//                     through the Distributed tables
//   command(sql)      a statement without rows on the first shard
//   onEachShard(sql)  the same statement on every shard's own URL (DDL, partition swaps: no ON CLUSTER
//                     without ZooKeeper)
//   shards[i]         one shard's client, for inserts and swaps that go to a given shard
//
// ClickHouse 18.16 has no query parameters, so a value enters SQL only through `literal()` below.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type ClickHouseClient, type ClickHouseSettings as ChQuerySettings, createClient } from '@clickhouse/client';
import { EXIT, UserError, errorMessage } from '../errors.ts';
import type { ClickhouseSettings } from './settings.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The sharded kinds (spread by customer) and the replicated one (every shard holds all rows). */
export const SHARDED_KINDS = ['subscriber', 'complaint', 'revenue'] as const;
export const REPLICATED_KINDS = ['channel'] as const;

/** The MergeTree table that holds a shard's rows of a kind (what a partition swap targets). */
export function localTable(kind: string): string {
  return (REPLICATED_KINDS as readonly string[]).includes(kind) ? `raw_${kind}` : `raw_${kind}_local`;
}

export function stagingTable(kind: string): string {
  return `raw_${kind}_staging`;
}

/** A ClickHouse error reduced to its text ("Code: 60, e.displayText() = DB::Exception: …" → the reason). */
export function clickhouseErrorText(err: unknown): string {
  const message = errorMessage(err);
  const m = /DB::Exception:\s*([\s\S]*?)(?:,\s*e\.what\(\)|$)/.exec(message);
  return (m?.[1] ?? message).trim();
}

function unreachable(url: string, err: unknown): UserError {
  return new UserError(
    `ClickHouse at ${url} is unreachable (${clickhouseErrorText(err)}): check CLICKHOUSE_URLS and that the server runs ` +
      `(npm run clickhouse -- status) / 无法连接 ClickHouse ${url}：请检查 CLICKHOUSE_URLS 及服务是否在运行`,
    EXIT.locked,
  );
}

export class ClickhouseShard {
  readonly client: ClickHouseClient;

  constructor(
    readonly index: number,
    readonly url: string,
    settings: ClickhouseSettings,
    user: { name: string; password: string } = { name: settings.user, password: settings.password },
    database: string | undefined = settings.database,
  ) {
    this.client = createClient({
      url,
      username: user.name,
      password: user.password,
      ...(database ? { database } : {}),
      request_timeout: 600_000,
      compression: { request: false, response: false },
      log: { level: 127 as never },
    });
  }

  async query<T = Record<string, unknown>>(sql: string, settings: ChQuerySettings = {}): Promise<T[]> {
    const rs = await this.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings });
    return rs.json<T>();
  }

  async command(sql: string, settings: ChQuerySettings = {}): Promise<void> {
    await this.client.command({ query: sql, clickhouse_settings: settings });
  }

  /** A CSV stream (`\N` for NULL) into a table; `settings` e.g. insert_distributed_sync for a Distributed one. */
  async insertCsv(table: string, csv: Readable, settings: ChQuerySettings = {}): Promise<void> {
    await this.client.insert({ table, values: csv, format: 'CSV', clickhouse_settings: settings });
  }

  async ping(): Promise<void> {
    try {
      const r = await this.client.ping();
      if (!r.success) throw r.error;
    } catch (err) {
      throw unreachable(this.url, err);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export class ClickhouseDataPlane {
  readonly engine = 'clickhouse' as const;
  private readonlyClient: ClickhouseShard | null = null;

  private constructor(
    readonly settings: ClickhouseSettings,
    readonly shards: ClickhouseShard[],
  ) {}

  /** Connects to every shard, creates the database and the raw layer where missing. */
  static async open(settings: ClickhouseSettings): Promise<ClickhouseDataPlane> {
    const bare = settings.urls.map((url, i) => new ClickhouseShard(i + 1, url, settings, undefined, ''));
    try {
      for (const s of bare) {
        await s.ping();
        await s.command(`CREATE DATABASE IF NOT EXISTS ${ident(settings.database)}`);
      }
    } finally {
      await Promise.all(bare.map((s) => s.close()));
    }
    const dp = new ClickhouseDataPlane(
      settings,
      settings.urls.map((url, i) => new ClickhouseShard(i + 1, url, settings)),
    );
    try {
      await dp.applySchema();
    } catch (err) {
      await dp.close();
      throw err;
    }
    return dp;
  }

  get first(): ClickhouseShard {
    return this.shards[0]!;
  }

  query<T = Record<string, unknown>>(sql: string, settings: ChQuerySettings = {}): Promise<T[]> {
    return this.first.query<T>(sql, settings);
  }

  command(sql: string, settings: ChQuerySettings = {}): Promise<void> {
    return this.first.command(sql, settings);
  }

  async onEachShard(sql: string, settings: ChQuerySettings = {}): Promise<void> {
    for (const s of this.shards) await s.command(sql, settings);
  }

  /** A client on the first shard as the console's readonly user; a clear error when none is configured. */
  readonlyShard(): ClickhouseShard {
    if (!this.settings.readonlyUser) {
      throw new UserError(
        'the SQL console on ClickHouse needs CLICKHOUSE_READONLY_USER (a user whose profile has readonly=2) ' +
          '/ ClickHouse 上的 SQL 控制台需要设置 CLICKHOUSE_READONLY_USER（readonly=2 的只读用户）',
        EXIT.usage,
      );
    }
    this.readonlyClient ??= new ClickhouseShard(1, this.settings.urls[0]!, this.settings, {
      name: this.settings.readonlyUser,
      password: this.settings.readonlyPassword,
    });
    return this.readonlyClient;
  }

  /** raw.sql, then the Distributed tables (a cluster) or plain views (a single node), on every shard. */
  async applySchema(): Promise<void> {
    const files = ['raw.sql', this.settings.cluster ? 'distributed.sql' : 'single-node.sql'];
    for (const file of files) {
      const text = readFileSync(join(HERE, file), 'utf8')
        .replaceAll('{{cluster}}', ident(this.settings.cluster ?? ''))
        .replaceAll('{{database}}', ident(this.settings.database));
      for (const statement of splitStatements(text)) await this.onEachShard(statement);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.shards, ...(this.readonlyClient ? [this.readonlyClient] : [])].map((s) => s.close()));
  }
}

/** The statements of a SQL file: comments dropped, split at a `;` that ends a line. */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A ClickHouse identifier, backquoted. */
export function ident(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * A value as a ClickHouse literal — the only way a value enters SQL on this engine (18.16 has no query
 * parameters). Strings are quoted with every backslash and quote escaped; numbers must be finite;
 * a Date becomes its UTC instant as toDateTime(seconds).
 */
export function literal(value: string | number | bigint | boolean | null | Date): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (value instanceof Date) return `toDateTime(${Math.floor(value.getTime() / 1000)})`;
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}
