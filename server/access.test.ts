// The roles table of architecture.md, walked cell by cell: every role (and no session) × every
// endpoint × the region asked for (own city, another city, ALL, none) gives the status the table says,
// in the fixed order 401 → 400 → 403 → 404; and what a regional user is given holds no other city.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../test/helpers/temp-warehouse.ts';
import { type TestServer, type TestUser, postJson, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({
    demo: true,
    // The briefings module plugs in here; a stand-in keeps this test about who may fetch what.
    briefings: async (_wh, region, period, format) => new TextEncoder().encode(`${format} ${region} ${period}`),
  });
}, 120_000);
afterAll(() => ts?.close());

const OWN = '330300';
const OTHER = '330100';
type Variant = 'own' | 'other' | 'ALL' | 'none';
type Who = TestUser | 'anonymous';
const WHO: Who[] = ['anonymous', 'exec', 'analyst', 'wenzhou', 'admin'];
const VARIANTS: Variant[] = ['own', 'other', 'ALL', 'none'];
const regionOf = (v: Variant) => (v === 'own' ? OWN : v === 'other' ? OTHER : v === 'ALL' ? 'ALL' : null);
const withRegion = (path: string, v: Variant) => {
  const r = regionOf(v);
  return r === null ? path : `${path}${path.includes('?') ? '&' : '?'}region=${r}`;
};

interface Endpoint {
  name: string;
  regional: boolean;
  /** Roles allowed at all (the roles table's column). */
  roles: TestUser[];
  request: (v: Variant) => { path: string; init?: RequestInit };
  /** Status when allowed. */
  ok?: number;
}

const boards: TestUser[] = ['exec', 'analyst', 'wenzhou', 'admin'];
const sqlRoles: TestUser[] = ['analyst', 'admin'];
const upload = () => {
  const form = new FormData();
  form.append('files', new Blob([readFileSync(join(FIXTURES, 'ingest', 'channel_ALL_202609.csv'))]), 'channel_ALL_202609.csv');
  return form;
};

const ENDPOINTS: Endpoint[] = [
  { name: 'kpis', regional: true, roles: boards, request: (v) => ({ path: withRegion('/api/kpis?period=2026-09', v) }) },
  { name: 'series', regional: true, roles: boards, request: (v) => ({ path: withRegion('/api/kpis/series?key=convergence_rate&from=2026-07&to=2026-09', v) }) },
  { name: 'breakdown', regional: true, roles: boards, request: (v) => ({ path: withRegion('/api/kpis/breakdown?period=2026-09&dimension=segment', v) }) },
  { name: 'ranking', regional: false, roles: ['exec', 'analyst', 'admin'], request: () => ({ path: '/api/kpis/ranking?key=convergence_rate&period=2026-09' }) },
  { name: 'targets', regional: true, roles: boards, request: (v) => ({ path: withRegion('/api/targets?period=2026-09', v) }) },
  { name: 'scorecard', regional: false, roles: ['exec', 'analyst', 'admin'], request: () => ({ path: '/api/scorecard?period=2026-09' }) },
  { name: 'targets loaded', regional: false, roles: sqlRoles, request: () => ({ path: '/api/targets/loaded' }) },
  { name: 'briefing', regional: true, roles: boards, request: (v) => ({ path: `/api/briefings/${regionOf(v) ?? OWN}/2026-09.pdf` }) },
  { name: 'events', regional: true, roles: boards, request: (v) => ({ path: withRegion('/api/events', v) }) },
  { name: 'sql', regional: false, roles: sqlRoles, request: () => ({ path: '/api/sql', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select 1' }) } }) },
  { name: 'schema', regional: false, roles: sqlRoles, request: () => ({ path: '/api/schema' }) },
  { name: 'export', regional: false, roles: sqlRoles, request: () => ({ path: '/api/sql/export', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select 1', format: 'csv' }) } }) },
  { name: 'queries', regional: false, roles: sqlRoles, request: () => ({ path: '/api/queries' }) },
  { name: 'save query', regional: false, roles: sqlRoles, ok: 201, request: () => ({ path: '/api/queries', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'q', sql: 'select 1', shared: false }) } }) },
  { name: 'history', regional: false, roles: sqlRoles, request: () => ({ path: '/api/queries/history' }) },
  { name: 'sandbox', regional: false, roles: sqlRoles, request: () => ({ path: '/api/sandbox' }) },
  { name: 'ingest', regional: false, roles: sqlRoles, request: () => ({ path: '/api/ingest', init: { method: 'POST', body: upload() } }) },
  { name: 'loads', regional: false, roles: sqlRoles, request: () => ({ path: '/api/loads' }) },
  { name: 'rejects', regional: false, roles: sqlRoles, request: () => ({ path: '/api/loads/1/rejects' }) },
  { name: 'users', regional: false, roles: ['admin'], request: () => ({ path: '/api/admin/users' }) },
  { name: 'me', regional: false, roles: boards, request: () => ({ path: '/api/me' }) },
  { name: 'regions', regional: false, roles: boards, request: () => ({ path: '/api/regions' }) },
  { name: 'alert rules', regional: false, roles: ['admin'], request: () => ({ path: '/api/alerts/rules' }) },
  { name: 'alerts', regional: false, roles: boards, request: () => ({ path: '/api/alerts' }) },
  { name: 'alerts evaluate', regional: false, roles: ['admin'], request: () => ({ path: '/api/alerts/evaluate', init: { method: 'POST' } }) },
];

function expected(e: Endpoint, who: Who, v: Variant): number {
  if (who === 'anonymous') return 401;
  if (!e.roles.includes(who)) return 403;
  if (who === 'wenzhou' && e.regional && (v === 'other' || v === 'ALL')) return 403;
  return e.ok ?? 200;
}

/** Status only; an event stream is closed as soon as its status is known. */
async function status(who: Who, path: string, init: RequestInit = {}): Promise<number> {
  const controller = new AbortController();
  const res = await ts.fetch(path, { ...init, as: who === 'anonymous' ? null : who, signal: controller.signal });
  const body = res.headers.get('content-type')?.startsWith('text/event-stream') ? null : await res.arrayBuffer();
  controller.abort();
  if (res.status >= 400 && body) expect(JSON.parse(Buffer.from(body).toString('utf8'))).toEqual({ error: expect.any(String) });
  return res.status;
}

describe('authorisation matrix', () => {
  it('gives every role × endpoint × region the status of the roles table', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const e of ENDPOINTS) {
      for (const who of WHO) {
        for (const v of e.regional ? VARIANTS : (['none'] as Variant[])) {
          const { path, init } = e.request(v);
          got.push(`${e.name} ${who} ${v} → ${await status(who, path, init)}`);
          want.push(`${e.name} ${who} ${v} → ${expected(e, who, v)}`);
        }
      }
    }
    expect(got).toEqual(want);
  }, 60_000);

  it('orders 401 before 400, 400 before 403, 403 before 404', async () => {
    expect(await status('anonymous', '/api/kpis?period=bad')).toBe(401);
    expect(await status('wenzhou', '/api/kpis?period=bad&region=ALL')).toBe(400);
    expect(await status('wenzhou', '/api/kpis?period=2026-09&region=999999')).toBe(400);
    expect(await status('exec', '/api/loads/abc/rejects')).toBe(400);
    expect(await status('exec', '/api/loads/99999/rejects')).toBe(403);
    expect(await status('analyst', '/api/loads/99999/rejects')).toBe(404);
    expect(await status('analyst', '/api/nothing-here')).toBe(404);
    expect(await status('anonymous', '/api/nothing-here')).toBe(404);
  });

  it('refuses malformed parameters with 400 and {"error"}', async () => {
    for (const path of [
      '/api/kpis',
      '/api/kpis?period=2026-13',
      '/api/kpis?period=2026-9',
      '/api/kpis?period=2026-09&region=33030',
      '/api/kpis?period=2026-09&region=all',
      '/api/kpis?period=2026-09&period=2026-08',
      '/api/kpis?period=2026-09&bogus=1',
      '/api/kpis?period=2026-09&segment=vip',
      '/api/kpis/series?key=nope&from=2026-07&to=2026-09',
      '/api/kpis/series?key=churn_rate&from=2026-09&to=2026-07',
      '/api/kpis/breakdown?period=2026-09&dimension=planet',
      '/api/kpis/ranking?period=2026-09',
    ]) {
      expect(await status('admin', path), path).toBe(400);
    }
  });
});

describe('region scope', () => {
  it('gives a regional user their own city only, whatever they ask', async () => {
    type Kpis = { region: string; kpis: Record<string, number | null> };
    const kpis = (await (await ts.fetch('/api/kpis?period=2026-09', { as: 'wenzhou' })).json()) as Kpis;
    expect(kpis.region).toBe(OWN);
    expect(kpis.kpis.active_subscriptions).toBeGreaterThan(0);
    const regions = (await (await ts.fetch('/api/regions', { as: 'wenzhou' })).json()) as { regions: { code: string }[] };
    expect(regions.regions.map((r) => r.code)).toEqual([OWN]);
    const series = (await (await ts.fetch('/api/kpis/series?key=active_subscriptions&from=2026-07&to=2026-09', { as: 'wenzhou' })).json()) as {
      region: string;
      points: { period: string; value: number | null }[];
    };
    expect(series.region).toBe(OWN);
    const own = (await (await ts.fetch(`/api/kpis?period=2026-09&region=${OWN}`, { as: 'exec' })).json()) as Kpis;
    expect(series.points.at(-1)!.value).toBe(own.kpis.active_subscriptions);
  });

  it('gives a regional user their own score and rank among how many, and no other city\'s code, name or score', async () => {
    const text = await (await ts.fetch('/api/targets?period=2026-09', { as: 'wenzhou' })).text();
    const mine = JSON.parse(text) as { region: string; score: number | null; rank: number | null; ranked: number };
    expect(mine).toMatchObject({ region: OWN, ranked: 11 });
    const card = (await (await ts.fetch('/api/scorecard?period=2026-09', { as: 'exec' })).json()) as { rows: { region_code: string; name_zh: string; score: number | null; rank: number | null }[] };
    const own = card.rows.find((r) => r.region_code === OWN)!;
    expect([mine.score, mine.rank]).toEqual([own.score, own.rank]);
    for (const other of card.rows.filter((r) => r.region_code !== OWN)) {
      expect(text).not.toContain(other.region_code);
      expect(text).not.toContain(other.name_zh);
      if (other.score !== null && other.score !== own.score) expect(text).not.toContain(String(other.score));
    }
  });

  it('scopes live events: a regional board hears of its own slices only, without file names', async () => {
    const seen: string[] = [];
    const controller = new AbortController();
    const res = await ts.fetch('/api/events', { as: 'wenzhou', signal: controller.signal });
    const reader = res.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        seen.push(decoder.decode(value));
      }
    })();
    const form = new FormData();
    // A two-city subscriber extract for a new month.
    form.append('files', new Blob([readFileSync(join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv'), 'utf8').replaceAll('2026-09', '2026-10')]), 'subscriber_ALL_202610.csv');
    const ingest = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    expect(((await ingest.json()) as { files: { status: string }[] }).files[0]!.status).toBe('loaded');
    await expect.poll(() => seen.join('').includes('event: models'), { timeout: 20_000 }).toBe(true);
    controller.abort();
    await reading;
    const text = seen.join('');
    const data = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => [m[1], JSON.parse(m[2]!)] as const);
    const load = data.find(([e]) => e === 'load')![1];
    expect(load.slices).toEqual([{ region_code: OWN, period: '2026-10' }]);
    expect(load.file).toBeUndefined();
    const models = data.find(([e]) => e === 'models')![1];
    expect(models.slices.every((s: { region_code: string }) => s.region_code === OWN)).toBe(true);
    expect(text).not.toContain(OTHER);
  });
});

describe('sessions', () => {
  it('sets an HttpOnly SameSite=Strict cookie, and logout ends the session', async () => {
    const res = await postJson(ts, '/api/login', { user: 'exec', password: 'test-password' }, null);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect((await ts.fetch('/api/me', { headers: { cookie: session } })).status).toBe(200);
    await ts.fetch('/api/logout', { method: 'POST', headers: { cookie: session } });
    expect((await ts.fetch('/api/me', { headers: { cookie: session } })).status).toBe(401);
  });

  it('rate-limits failed logins per user, then per address', async () => {
    const attempt = (user: string, password = 'wrong') => postJson(ts, '/api/login', { user, password }, null).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await attempt('admin'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password waits now.
    expect(await attempt('admin', 'test-password')).toBe(429);
    // Another name from the same address still gets its own tries, until the address limit.
    const others = [];
    for (let i = 0; i < 16; i++) others.push(await attempt(`nobody${i}`));
    expect(others.at(-1)).toBe(429);
    expect(await attempt('exec', 'test-password')).toBe(429);
  });
});
