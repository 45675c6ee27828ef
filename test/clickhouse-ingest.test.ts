// Ingest on the ClickHouse engine, against a real two-shard cluster: every file's fate equal to the
// DuckDB engine's, the rows on the cluster equal to DuckDB's, shards balanced, and a load killed with
// SIGKILL between two shards' swaps completed by the next command.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../demo/generate.ts';
import { ingestFile } from '../ingest/load.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { localTable } from '../warehouse/clickhouse/data-plane.ts';
import { useClickhouseCluster } from './helpers/clickhouse.ts';
import { runCliScript } from './helpers/run-command.ts';
import { FIXTURES, tempDir } from './helpers/temp-warehouse.ts';

const CH = useClickhouseCluster();
const KINDS = ['subscriber', 'channel', 'complaint', 'revenue'] as const;

async function openOn(engine: 'duckdb' | 'clickhouse', path: string, database: string): Promise<Warehouse> {
  const env = engine === 'clickhouse' ? CH.env(database) : {};
  return Warehouse.open({ ...normalizeSettings({ db: path, env }), memoryLimit: '512MB', threads: 2 });
}

/** Every row of a kind as text, sorted, from DuckDB's raw table. */
async function duckRows(wh: Warehouse, kind: string): Promise<string[]> {
  const cols = await wh.all<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns where table_name = $t order by ordinal_position`,
    { t: `raw_${kind}` },
  );
  const text = cols.map((c) => {
    const q = `"${c.column_name}"`;
    const v = c.data_type === 'BOOLEAN' ? `${q}::integer::varchar` : c.data_type === 'TIMESTAMP' ? `strftime(${q}, '%Y-%m-%d %H:%M:%S')` : `${q}::varchar`;
    return `coalesce(${v}, '∅')`;
  });
  const rows = await wh.all<{ t: string }>(`select ${text.join(` || '|' || `)} as t from raw_${kind}`);
  return rows.map((r) => r.t).sort();
}

/** The same from the cluster, through the reading table (all shards). */
async function clusterRows(wh: Warehouse, kind: string): Promise<string[]> {
  const ch = wh.clickhouse!;
  const cols = await ch.query<{ name: string }>(`DESCRIBE TABLE raw_${kind}`);
  const text = cols.map((c) => `ifNull(toString(\`${c.name}\`), '∅')`);
  const rows = await ch.query<{ t: string }>(`SELECT concat(${text.join(`, '|', `)}) AS t FROM raw_${kind}`);
  return rows.map((r) => r.t).sort();
}

/** Rows per (region, month) slice on each shard's own table. */
async function sliceCounts(wh: Warehouse, kind: string): Promise<Map<string, number>[]> {
  return Promise.all(
    wh.clickhouse!.shards.map(async (s) => {
      const rows = await s.query<{ k: string; n: string }>(
        `SELECT concat(region_code, ' ', toString(period)) AS k, count() AS n FROM ${localTable(kind)} GROUP BY k`,
      );
      return new Map(rows.map((r) => [r.k, Number(r.n)]));
    }),
  );
}

/** The slices DuckDB's control plane says are current, with their row counts. */
async function currentSlices(wh: Warehouse, kind: string): Promise<Map<string, number>> {
  const rows = await wh.all<{ k: string; n: bigint }>(
    `select region_code || ' ' || strftime(period, '%Y-%m-%d') as k, rows as n from load_slices
     where kind = $kind and superseded_by_load is null and rows > 0`,
    { kind },
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

function summed(maps: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, n] of m) out.set(k, (out.get(k) ?? 0) + n);
  return out;
}

describe('ingest on the ClickHouse engine', () => {
  it('gives every fixture file the fate it has on DuckDB, and the cluster the same rows', async () => {
    const { dir, remove } = tempDir('chingest-');
    const duck = await openOn('duckdb', join(dir, 'duck.duckdb'), 'unused');
    const click = await openOn('clickhouse', join(dir, 'click.duckdb'), 'fates');
    try {
      // Demo extracts of two months (every kind, money, timestamps, nulls); then the fixture folder's
      // files in name order (refusals over the 5% threshold), again with no threshold (loaded with their
      // rejects), and re-sends: a duplicate and a slice replaced.
      const demo = await generateDemoData({ out: join(dir, 'demo'), subscribers: 300, months: 2, end: '2026-09', seed: 3 });
      const fixtures = readdirSync(join(FIXTURES, 'ingest'))
        .sort()
        .map((f) => join(FIXTURES, 'ingest', f));
      // A key already in the warehouse under another region of the month: M3 and M1 are the fixture's
      // (330100 and 330300); N1 is new. The cluster answers the warehouse-wide key check on ClickHouse.
      const collide = join(dir, 'subscriber_330200_202609.csv');
      writeFileSync(
        collide,
        [
          'period,subscription_id,customer_id,segment,region_code,service,activated_on',
          '2026-09,M3,C77,personal,330200,mobile,2022-01-01',
          '2026-09,N1,C78,personal,330200,mobile,2022-01-01',
          '2026-09,M1,C79,personal,330200,mobile,2022-01-01',
        ].join('\n') + '\n',
      );
      const order: [string, number][] = [
        ...demo.files.map((f) => [f.path, 0.05] as [string, number]),
        ...fixtures.map((f) => [f, 0.05] as [string, number]),
        ...fixtures.map((f) => [f, 1] as [string, number]),
        [demo.files[0]!.path, 0.05],
        [join(FIXTURES, 'ingest', 'subscriber_330300_202609_fix.csv'), 0.05],
        [collide, 1],
      ];
      const fates = { duck: [] as unknown[], click: [] as unknown[] };
      for (const [f, rejectThreshold] of order) {
        fates.duck.push(await ingestFile(duck, f, { rejectThreshold }));
        fates.click.push(await ingestFile(click, f, { rejectThreshold }));
      }
      expect(fates.click).toEqual(fates.duck);
      const rejects = (wh: Warehouse) =>
        wh.all(`select load_id, line, "column", reason, message from rejects order by load_id, line, "column"`);
      expect(await rejects(click)).toEqual(await rejects(duck));
      expect(fates.duck.at(-1)).toMatchObject({ status: 'loaded', rows_loaded: 1, rows_rejected: 2 });
      const last = (fates.duck.at(-1) as { load_id: number }).load_id;
      const collided = ((await rejects(click)) as { load_id: bigint; message: string }[]).filter((r) => Number(r.load_id) === last);
      expect(collided.map((r) => r.message)).toEqual([expect.stringMatching(/in the warehouse.*region 330100/), expect.stringMatching(/in the warehouse.*region 330300/)]);
      expect(fates.duck.map((r) => (r as { status: string }).status)).toContain('loaded');
      expect(fates.duck.map((r) => (r as { status: string }).status)).toContain('duplicate');
      expect(fates.duck.map((r) => (r as { status: string }).status)).toContain('refused');
      for (const kind of KINDS) {
        const want = await duckRows(duck, kind);
        expect(want.length, kind).toBeGreaterThan(0);
        expect(await clusterRows(click, kind), kind).toEqual(want);
        // Channels: every shard holds all of them; the other kinds are split, each row once.
        const perShard = await sliceCounts(click, kind);
        const slices = await currentSlices(click, kind);
        if (kind === 'channel') for (const m of perShard) expect(m).toEqual(slices);
        else expect(summed(perShard)).toEqual(slices);
      }
      // The DuckDB file keeps the control plane only: no data row stays there once pushed.
      for (const kind of KINDS) expect(await duckRows(click, kind), kind).toEqual([]);
      // Staging is left empty on every shard.
      for (const s of click.clickhouse!.shards) {
        for (const kind of KINDS) expect((await s.query<{ n: string }>(`SELECT count() AS n FROM raw_${kind}_staging`))[0]!.n).toBe('0');
      }
    } finally {
      duck.close();
      click.close();
      remove();
    }
  });

  it('spreads subscriber rows evenly: no shard over 1.1x its fair share', async () => {
    const { dir, remove } = tempDir('chbalance-');
    const wh = await openOn('clickhouse', join(dir, 'wh.duckdb'), 'balance');
    try {
      const demo = await generateDemoData({ out: join(dir, 'extracts'), subscribers: 4000, months: 1, end: '2026-09', seed: 7 });
      for (const f of demo.files.filter((x) => x.kind === 'subscriber')) expect((await ingestFile(wh, f.path)).status).toBe('loaded');
      const counts = (await sliceCounts(wh, 'subscriber')).map((m) => [...m.values()].reduce((a, b) => a + b, 0));
      const total = counts.reduce((a, b) => a + b, 0);
      expect(total).toBe(demo.rows.subscriber);
      for (const n of counts) expect(n).toBeLessThanOrEqual((1.1 * total) / counts.length);
    } finally {
      wh.close();
      remove();
    }
  });

  it('completes a load killed (SIGKILL) between two shards’ swaps at the next command: every slice whole, counts exact, loaded once', async () => {
    const { dir, remove } = tempDir('chkill-');
    const db = join(dir, 'wh.duckdb');
    const env = CH.env('killed');
    const ingest = (files: string[], extra: Record<string, string> = {}) =>
      runCliScript('cli/ingest.ts', ['--db', db, '--json', ...files], '', { ...process.env, ...env, ...extra });
    try {
      const first = join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv');
      const resend = join(FIXTURES, 'ingest', 'subscriber_330300_202609_fix.csv');
      const ok = await ingest([first]);
      expect(ok.code, ok.stderr).toBe(0);
      // The re-send replaces the 330300 slice; the process dies after shard 1 swapped, before shard 2.
      const killed = await ingest([resend], { TCA_CLICKHOUSE_TEST_KILL: 'after-shard-1' });
      expect(killed.signal).toBe('SIGKILL');

      // Half-swapped right now: shard 1 has the new slice, shard 2 the old one.
      let wh = await Warehouse.open({ ...normalizeSettings({ db: ':memory:', env: { ...env, CLICKHOUSE_URLS: env.CLICKHOUSE_URLS!.split(',')[1]!, CLICKHOUSE_CLUSTER: '' } }), memoryLimit: '256MB' });
      const before = (await wh.clickhouse!.query<{ n: string }>(`SELECT max(load_id) AS n FROM raw_subscriber_local WHERE region_code = '330300'`))[0]!.n;
      wh.close();
      expect(Number(before)).toBe(1);

      // The next command — a re-run of the same file — completes the push first, then finds a duplicate.
      const rerun = await ingest([resend]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).files[0]).toMatchObject({ status: 'duplicate', load_id: 2 });

      wh = await openOn('clickhouse', db, 'killed');
      try {
        const slices = await currentSlices(wh, 'subscriber');
        expect(summed(await sliceCounts(wh, 'subscriber'))).toEqual(slices);
        // The rows the DuckDB engine has after the same two files; none left in the control plane's file.
        const duck = await openOn('duckdb', join(dir, 'duck.duckdb'), 'unused');
        try {
          for (const f of [first, resend]) expect((await ingestFile(duck, f)).status).toBe('loaded');
          expect(await clusterRows(wh, 'subscriber')).toEqual(await duckRows(duck, 'subscriber'));
        } finally {
          duck.close();
        }
        expect(await duckRows(wh, 'subscriber')).toEqual([]);
        const loads = await wh.clickhouse!.query<{ load_id: string }>(`SELECT DISTINCT toString(load_id) AS load_id FROM raw_subscriber WHERE region_code = '330300'`);
        expect(loads.map((l) => l.load_id)).toEqual(['2']);
      } finally {
        wh.close();
      }
    } finally {
      remove();
    }
  });
});
