// The local ClickHouse cluster (npm run clickhouse) and the raw layer the ClickHouse engine creates on
// it: real clickhouse-server processes on free loopback ports, never a mock.
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { UserError } from '../warehouse/errors.ts';
import { ClickhouseShard } from '../warehouse/clickhouse/data-plane.ts';
import { findClickhouseServer, freePortBase, isAlive } from '../warehouse/clickhouse/local-cluster.ts';
import { useClickhouseCluster } from './helpers/clickhouse.ts';
import { runCliScript } from './helpers/run-command.ts';
import { tempDir } from './helpers/temp-warehouse.ts';

const CH = useClickhouseCluster();

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('npm run clickhouse', () => {
  it('starts two shards on the ports asked, prints the settings, reports status, and stops them', async () => {
    const { dir, remove } = tempDir('chcli-');
    try {
      const base = await freePortBase(2);
      const start = await runCliScript('cli/clickhouse-cluster.ts', ['start', '--dir', dir, '--port-base', String(base)]);
      expect(start.stderr).toMatch(/ready/);
      expect(start.code).toBe(0);
      const env = parseEnv(start.stdout);
      expect(env.CLICKHOUSE_URLS).toBe(`http://127.0.0.1:${base},http://127.0.0.1:${base + 1}`);
      expect(env).toMatchObject({ WAREHOUSE_ENGINE: 'clickhouse', CLICKHOUSE_CLUSTER: 'tca', CLICKHOUSE_DATABASE: 'tca', CLICKHOUSE_USER: 'default' });
      expect(env.CLICKHOUSE_READONLY_USER).toBeTruthy();

      const status = await runCliScript('cli/clickhouse-cluster.ts', ['status', '--dir', dir]);
      expect(status.code).toBe(0);
      expect(status.stdout.match(/ready/g)).toHaveLength(2);
      const pids = [...status.stdout.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      expect(pids).toHaveLength(2);

      // The cluster `tca` spans both shards, as the writing user sees it.
      const settings = normalizeSettings({ db: ':memory:', env }).clickhouse!;
      const shard = new ClickhouseShard(1, settings.urls[0]!, settings, undefined, '');
      try {
        const rows = await shard.query<{ n: string }>(`SELECT count() AS n FROM system.clusters WHERE cluster = 'tca'`);
        expect(Number(rows[0]!.n)).toBe(2);
      } finally {
        await shard.close();
      }

      const stop = await runCliScript('cli/clickhouse-cluster.ts', ['stop', '--dir', dir]);
      expect(stop.code).toBe(0);
      expect(pids.every((p) => !isAlive(p))).toBe(true);
      const after = await runCliScript('cli/clickhouse-cluster.ts', ['status', '--dir', dir]);
      expect(after.code).toBe(1);
      expect(after.stdout).toMatch(/stopped/);
    } finally {
      remove();
    }
  });

  it('names what is missing when no clickhouse-server is installed (the tests then fail, never skip)', () => {
    expect(() => findClickhouseServer({ PATH: '/nonexistent' }, [])).toThrow(/clickhouse-server was not found.*apt-get install clickhouse-server.*未找到/s);
    expect(findClickhouseServer()).toMatch(/clickhouse/);
  });

  it('refuses a port already taken, naming it', async () => {
    const { dir, remove } = tempDir('chcli-');
    try {
      const taken = CH.cluster.shards[0]!.httpPort;
      const r = await runCliScript('cli/clickhouse-cluster.ts', ['start', '--dir', dir, '--port-base', String(taken)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${taken}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      remove();
    }
  });
});

describe('the ClickHouse settings', () => {
  it('refuse a missing or malformed setting in both languages, as a usage error', () => {
    const cases: Record<string, string>[] = [
      { WAREHOUSE_ENGINE: 'clickhouse' },
      { WAREHOUSE_ENGINE: 'clickhouse', CLICKHOUSE_URLS: 'localhost:8123' },
      { WAREHOUSE_ENGINE: 'clickhouse', CLICKHOUSE_URLS: 'http://a:1,http://b:2' },
      { WAREHOUSE_ENGINE: 'clickhouse', CLICKHOUSE_URLS: 'http://a:1', CLICKHOUSE_DATABASE: 'tca; drop' },
    ];
    for (const env of cases) {
      let caught: unknown;
      try {
        normalizeSettings({ db: ':memory:', env });
      } catch (err) {
        caught = err;
      }
      expect(caught, JSON.stringify(env)).toBeInstanceOf(UserError);
      expect((caught as UserError).exitCode).toBe(2);
      expect((caught as UserError).message).toMatch(/CLICKHOUSE_/);
      expect((caught as UserError).message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('name an unreachable shard in both languages (exit 3) when the warehouse opens', async () => {
    const base = await freePortBase(1);
    const env = { ...CH.env(), CLICKHOUSE_URLS: `http://127.0.0.1:${base}`, CLICKHOUSE_CLUSTER: '' };
    let caught: unknown;
    try {
      const wh = await Warehouse.open({ ...normalizeSettings({ db: ':memory:', env }), memoryLimit: '256MB' });
      wh.close();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).exitCode).toBe(3);
    expect((caught as UserError).message).toContain(`127.0.0.1:${base}`);
    expect((caught as UserError).message).toMatch(/无法连接/);
  });
});

/** DuckDB's raw column type → what the ClickHouse raw layer must say for it. */
function expectedType(duckType: string, nullable: boolean): string {
  const base =
    duckType === 'VARCHAR' || duckType === 'JSON'
      ? 'String'
      : duckType === 'BIGINT'
        ? 'Int64'
        : duckType === 'INTEGER'
          ? 'Int32'
          : duckType === 'DATE'
            ? 'Date'
            : duckType === 'BOOLEAN'
              ? 'UInt8'
              : duckType === 'TIMESTAMP'
                ? "DateTime('Asia/Shanghai')"
                : /^DECIMAL\(18,\s*2\)$/.test(duckType)
                  ? 'Decimal(18, 2)'
                  : `unmapped ${duckType}`;
  return nullable ? `Nullable(${base})` : base;
}

describe('the raw layer on the cluster', () => {
  it('has on every shard the columns of DuckDB raw layer, same order, types and nullability', async () => {
    const wh = await Warehouse.open({ ...normalizeSettings({ db: ':memory:', env: CH.env('raw_layer') }), memoryLimit: '256MB' });
    try {
      const ch = wh.clickhouse!;
      expect(ch.shards).toHaveLength(2);
      for (const kind of ['subscriber', 'channel', 'complaint', 'revenue']) {
        const duck = await wh.all<{ column_name: string; data_type: string; is_nullable: string }>(
          `select column_name, data_type, is_nullable from information_schema.columns where table_name = $t order by ordinal_position`,
          { t: `raw_${kind}` },
        );
        expect(duck.length).toBeGreaterThan(5);
        const want = duck.map((c) => `${c.column_name} ${expectedType(c.data_type, c.is_nullable === 'YES')}`);
        const local = kind === 'channel' ? 'raw_channel' : `raw_${kind}_local`;
        for (const shard of ch.shards) {
          for (const table of [local, `raw_${kind}_staging`, `raw_${kind}`]) {
            const cols = await shard.query<{ name: string; type: string }>(`DESCRIBE TABLE raw_layer.${table}`);
            expect(cols.map((c) => `${c.name} ${c.type}`), `${table} on shard ${shard.index}`).toEqual(want);
          }
          const parts = await shard.query<{ engine: string; partition_key: string }>(
            `SELECT engine, partition_key FROM system.tables WHERE database = 'raw_layer' AND name = '${local}'`,
          );
          expect(parts[0]).toEqual({ engine: 'MergeTree', partition_key: '(toYYYYMM(period), region_code)' });
        }
      }
    } finally {
      wh.close();
    }
  });

  it('reads every shard through the Distributed tables, and times are Asia/Shanghai whatever the servers say', async () => {
    const wh = await Warehouse.open({ ...normalizeSettings({ db: ':memory:', env: CH.env('raw_read') }), memoryLimit: '256MB' });
    try {
      const ch = wh.clickhouse!;
      expect((await ch.query<{ tz: string }>('SELECT timezone() AS tz'))[0]!.tz).not.toBe('Asia/Shanghai');
      for (const shard of ch.shards) {
        await shard.command(
          `INSERT INTO raw_complaint_local (load_id, line, period, complaint_id, received_at, region_code, category, source)
           VALUES (1, ${shard.index}, '2026-09-01', 'K${shard.index}', '2026-09-01 07:30:00', '330300', 'network', 'hotline')`,
        );
      }
      const rows = await ch.query<{ complaint_id: string; at: string; hour: number }>(
        `SELECT complaint_id, toString(received_at) AS at, toHour(received_at) AS hour, toUnixTimestamp(received_at) AS ts FROM raw_complaint ORDER BY complaint_id`,
      );
      expect(rows.map((r) => [r.complaint_id, r.at, r.hour])).toEqual([
        ['K1', '2026-09-01 07:30:00', 7],
        ['K2', '2026-09-01 07:30:00', 7],
      ]);
      // 07:30 in Shanghai is 23:30 UTC the day before.
      expect(rows.map((r) => Number((r as unknown as { ts: string }).ts))).toEqual([Date.UTC(2026, 7, 31, 23, 30) / 1000, Date.UTC(2026, 7, 31, 23, 30) / 1000]);
    } finally {
      wh.close();
    }
  });
});
