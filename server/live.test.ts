// Serving while loading: 32 board clients poll the KPIs while corrected extracts are ingested through
// the server; none sees an error, and each sees the figures before the load or after it, never
// between. The KPI answers carry ETags per data version; the landing folder loads what arrives.
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
let landing: string;
beforeAll(async () => {
  ts = await testServer({ demo: true, settings: { watchIntervalMs: 50 }, prepare: async (_wh, dir) => {
    landing = join(dir, 'landing');
    mkdirSync(landing);
  } });
}, 120_000);
afterAll(() => ts?.close());

type Kpis = { kpis: Record<string, number | null> };

/** A corrected re-send: the extract without every n-th data row. */
function withoutEvery(file: string, n: number): Uint8Array {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return new TextEncoder().encode([header, ...rows.filter((_r, i) => i % n !== 0)].join('\n') + '\n');
}

describe('boards during a load', () => {
  it('32 concurrent clients see no error and only the figures before or after each file', async () => {
    const extracts = join(ts.dir, 'extracts');
    const path = '/api/kpis?period=2026-09&region=ALL';
    const read = async () => ((await (await ts.fetch(path, { as: 'exec' })).json()) as Kpis).kpis;
    const before = await read();
    const cookie = await ts.cookie('exec');
    let stop = false;
    const seen: string[][] = [];
    const errors: string[] = [];
    const client = async (id: number) => {
      seen[id] = [];
      while (!stop) {
        try {
          const res = await fetch(`${ts.url}${path}`, { headers: { cookie } });
          if (res.status !== 200) errors.push(`${res.status}`);
          const k = ((await res.json()) as Kpis).kpis;
          seen[id]!.push(`${k.active_subscriptions}/${k.revenue}`);
        } catch (err) {
          errors.push(String(err));
        }
        // A board polls (here 20 times a second); it does not spin — clients and server share this
        // process's one event loop and two cores.
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const clients = Array.from({ length: 32 }, (_v, i) => client(i));
    let after: Record<string, number | null>;
    try {
      const form = new FormData();
      form.append('files', new Blob([withoutEvery(join(extracts, 'subscriber_ALL_202609.csv'), 10)]), 'subscriber_ALL_202609.csv');
      form.append('files', new Blob([withoutEvery(join(extracts, 'revenue_ALL_202609.csv'), 4)]), 'revenue_ALL_202609.csv');
      const ingest = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
      const result = (await ingest.json()) as { files: { status: string }[] };
      expect(result.files.map((f) => f.status)).toEqual(['loaded', 'loaded']);
      after = await read();
      // A few more rounds on the final state.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(errors).toEqual([]);
    expect(after.active_subscriptions).toBeLessThan(before.active_subscriptions!);
    expect(after.revenue).toBeLessThan(before.revenue!);
    // Loads apply in order, each with its model run: before → subscribers done → both done.
    const states = [
      `${before.active_subscriptions}/${before.revenue}`,
      `${after.active_subscriptions}/${before.revenue}`,
      `${after.active_subscriptions}/${after.revenue}`,
    ];
    for (const s of seen) {
      const order = s.map((v) => states.indexOf(v));
      expect(order.every((o) => o >= 0), `unexpected state in ${[...new Set(s)].join(', ')}`).toBe(true);
      expect(order.every((o, i) => i === 0 || o >= order[i - 1]!)).toBe(true);
    }
    expect(seen.flat().length).toBeGreaterThan(64);
  }, 60_000);
});

describe('KPI answers', () => {
  it('carry an ETag per data version: 304 while unchanged, new figures after a load', async () => {
    const path = '/api/kpis?period=2026-08&region=330300';
    const first = await ts.fetch(path, { as: 'exec' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"v\d+-/);
    expect((await ts.fetch(path, { as: 'exec', headers: { 'if-none-match': etag } })).status).toBe(304);
    const form = new FormData();
    form.append('files', new Blob([withoutEvery(join(ts.dir, 'extracts', 'revenue_ALL_202608.csv'), 7)]), 'revenue_ALL_202608.csv');
    await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'admin' });
    const again = await ts.fetch(path, { as: 'exec', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).not.toBe(etag);
  });

  it('answers a series, a ranking of every city and the breakdowns', async () => {
    const series = (await (await ts.fetch('/api/kpis/series?key=active_subscriptions&region=ALL&from=2026-06&to=2026-09', { as: 'exec' })).json()) as {
      points: { period: string; value: number | null }[];
    };
    expect(series.points.map((p) => p.period)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09']);
    expect(series.points[0]!.value).toBeNull();
    expect(series.points[3]!.value).toBeGreaterThan(0);
    const ranking = (await (await ts.fetch('/api/kpis/ranking?key=convergence_rate&period=2026-09', { as: 'exec' })).json()) as { rows: { region_code: string }[] };
    expect(ranking.rows).toHaveLength(11);
    for (const dimension of ['segment', 'service', 'channel_type', 'category', 'source']) {
      const res = await ts.fetch(`/api/kpis/breakdown?period=2026-09&region=330300&dimension=${dimension}`, { as: 'exec' });
      expect(res.status, dimension).toBe(200);
      expect(((await res.json()) as { rows: unknown[] }).rows.length, dimension).toBeGreaterThan(1);
    }
    const empty = (await (await ts.fetch('/api/kpis?period=2030-01&region=ALL', { as: 'exec' })).json()) as Kpis;
    expect(Object.values(empty.kpis).every((v) => v === null)).toBe(true);
  });
});

describe('GET /api/loads', () => {
  it('lists the loads with their slices and superseded state, and the rejects of one', async () => {
    const body = (await (await ts.fetch('/api/loads', { as: 'analyst' })).json()) as {
      loads: { load_id: number; file: string; status: string; superseded: boolean; slices: { region_code: string; superseded_by_load: number | null }[] }[];
    };
    const sub = body.loads.filter((l) => l.file.endsWith('subscriber_ALL_202609.csv'));
    expect(sub).toHaveLength(2);
    expect(sub[1]!.superseded).toBe(true);
    expect(sub[0]!.superseded).toBe(false);
    expect(sub[1]!.slices.every((s) => s.superseded_by_load === sub[0]!.load_id)).toBe(true);
    const rejects = (await (await ts.fetch(`/api/loads/${sub[0]!.load_id}/rejects`, { as: 'analyst' })).json()) as { rejects: unknown[]; truncated: boolean };
    expect(rejects).toEqual({ load_id: sub[0]!.load_id, rejects: [], truncated: false });
  });
});

describe('the landing folder', () => {
  it('loads a file once it has stopped growing, then files it under loaded/ or refused/', async () => {
    const server = ts.server;
    // This server was started without a landing folder; a watcher for this test's folder.
    const { LandingWatcher } = await import('./watch.ts');
    const watcher = new LandingWatcher(server.ctx, landing);
    watcher.start();
    try {
      writeFileSync(join(landing, 'channel_ALL_202609.csv'), withoutEvery(join(ts.dir, 'extracts', 'channel_ALL_202609.csv'), 9));
      writeFileSync(join(landing, 'notes_202609.csv'), 'a,b\n1,2\n');
      writeFileSync(join(landing, 'readme.md'), 'not an extract');
      await expect.poll(() => existsSync(join(landing, 'loaded', 'channel_ALL_202609.csv')), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => existsSync(join(landing, 'refused', 'notes_202609.csv')), { timeout: 15_000 }).toBe(true);
      expect(readdirSync(landing).sort()).toEqual(['loaded', 'readme.md', 'refused']);
      const loads = (await (await ts.fetch('/api/loads?limit=3', { as: 'analyst' })).json()) as { loads: { file: string; status: string }[] };
      expect(loads.loads.map((l) => [l.file, l.status])).toContainEqual(['channel_ALL_202609.csv', 'loaded']);
    } finally {
      await watcher.stop();
    }
  });
});
