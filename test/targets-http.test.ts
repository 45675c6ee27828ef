// GET /api/targets and GET /api/scorecard over a real server and the demo warehouse (whose demo
// extracts include a target file): who may ask what (a regional user only their own city's targets,
// never the scorecard), the exact shapes of targets.md, one rank shared by both answers, ETags per
// data version that a target load through the API moves, and `npm run targets -- --json` through the
// running server printing the API's object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetsResult, ScorecardResult } from '../domain/targets.ts';
import { runCliScript } from './helpers/run-command.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({ demo: true, serverFile: true });
}, 180_000);
afterAll(() => ts?.close());

const ROW_KEYS = ['kpi', 'target', 'target_period', 'actual', 'ytd', 'months_covered', 'time_progress', 'completion', 'gap', 'attainment', 'status', 'weight'];

async function get<T>(path: string, as: 'exec' | 'analyst' | 'wenzhou' | 'admin'): Promise<{ status: number; body: T }> {
  const res = await ts.fetch(path, { as });
  return { status: res.status, body: (await res.json()) as T };
}

describe('GET /api/targets', () => {
  it('answers targets.md\'s object for a city: every row judged, the demo\'s monthly override in place of the annual target', async () => {
    const { status, body } = await get<TargetsResult>('/api/targets?period=2026-09&region=330300', 'exec');
    expect(status).toBe(200);
    expect(Object.keys(body).slice(0, 6)).toEqual(['period', 'region', 'score', 'rank', 'ranked', 'rows']);
    expect(body).toMatchObject({ period: '2026-09', region: '330300' });
    // In the catalogue's order.
    expect(body.rows.map((r) => r.kpi)).toEqual(['convergence_rate', 'gross_adds', 'churn_rate', 'revenue', 'complaints_per_10k', 'escalated_complaints']);
    for (const r of body.rows) expect(Object.keys(r)).toEqual(ROW_KEYS);
    // demo/targets.ts: 温州's churn target for the last month (0.012, weight 25) replaces the annual one.
    expect(body.rows.find((r) => r.kpi === 'churn_rate')).toMatchObject({ target: 0.012, target_period: '2026-09', weight: 25, ytd: null });
    // An annual target of an additive key is judged on the year to date: July … September loaded (3 months).
    const revenue = body.rows.find((r) => r.kpi === 'revenue')!;
    expect(revenue).toMatchObject({ target_period: '2026', months_covered: 3, time_progress: 0.75 });
    expect(revenue.attainment).toBeCloseTo(revenue.ytd! / ((revenue.target * 9) / 12), 9);
    expect(['green', 'amber', 'red']).toContain(revenue.status);
    expect(body.score).not.toBeNull();
    expect(body.rank).toBeGreaterThanOrEqual(1);
  });

  it('a regional user sees their own city (also when naming none), and gets 403 for another city or ALL', async () => {
    const own = await get<TargetsResult>('/api/targets?period=2026-09&region=330300', 'wenzhou');
    expect(own.status).toBe(200);
    const implicit = await get<TargetsResult>('/api/targets?period=2026-09', 'wenzhou');
    expect(implicit.body).toEqual(own.body);
    expect((await get('/api/targets?period=2026-09&region=330100', 'wenzhou')).status).toBe(403);
    expect((await get('/api/targets?period=2026-09&region=ALL', 'wenzhou')).status).toBe(403);
    // The 403 names no figure of the other city.
    const refused = await get<{ error: string }>('/api/targets?period=2026-09&region=330100', 'wenzhou');
    expect(Object.keys(refused.body)).toEqual(['error']);
  });

  it('refuses a bad period, an unknown region or parameter with 400, before any role check', async () => {
    expect((await get('/api/targets?period=2026-9&region=330300', 'exec')).status).toBe(400);
    expect((await get('/api/targets?period=2026-09&region=999999', 'exec')).status).toBe(400);
    expect((await get('/api/targets?period=2026-09&region=330300&x=1', 'exec')).status).toBe(400);
    expect((await get('/api/scorecard', 'exec')).status).toBe(400);
  });

  it('the province: scored on its own targets, rank null', async () => {
    const { body } = await get<TargetsResult>('/api/targets?period=2026-09&region=ALL', 'analyst');
    expect(body.region).toBe('ALL');
    expect(body.rank).toBeNull();
    expect(body.rows.find((r) => r.kpi === 'escalated_complaints')?.target_period).toBe('2026-09');
  });
});

describe('GET /api/scorecard', () => {
  it('executives, analysts and admins get every city best first; a regional user gets 403', async () => {
    const exec = await get<ScorecardResult>('/api/scorecard?period=2026-09', 'exec');
    expect(exec.status).toBe(200);
    expect(Object.keys(exec.body)).toEqual(['period', 'rows']);
    expect(exec.body.rows).toHaveLength(11);
    for (const r of exec.body.rows) expect(Object.keys(r)).toEqual(['region_code', 'name_zh', 'name_en', 'score', 'rank']);
    const scores = exec.body.rows.map((r) => r.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect((await get('/api/scorecard?period=2026-09', 'analyst')).status).toBe(200);
    expect((await get('/api/scorecard?period=2026-09', 'admin')).status).toBe(200);
    const regional = await get<{ error: string }>('/api/scorecard?period=2026-09', 'wenzhou');
    expect(regional.status).toBe(403);
    expect(Object.keys(regional.body)).toEqual(['error']);
  });

  it('gives each city the rank /api/targets gives it, and ranked counts the cities with a score', async () => {
    const card = (await get<ScorecardResult>('/api/scorecard?period=2026-09', 'exec')).body;
    const wenzhou = (await get<TargetsResult>('/api/targets?period=2026-09', 'wenzhou')).body;
    const row = card.rows.find((r) => r.region_code === '330300')!;
    expect(wenzhou.rank).toBe(row.rank);
    expect(wenzhou.score).toBe(row.score);
    expect(wenzhou.ranked).toBe(card.rows.filter((r) => r.score !== null).length);
  });
});

describe('a target load through the API', () => {
  it('replaces the slice it carries, moves the data version (a new ETag) and the answers follow', async () => {
    const path = '/api/targets?period=2026-09&region=330300';
    const first = await ts.fetch(path, { as: 'exec' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"v\d+-/);
    expect((await ts.fetch(path, { as: 'exec', headers: { 'if-none-match': etag } })).status).toBe(304);

    const form = new FormData();
    form.append('files', new Blob(['地市编码,考核期,指标,目标值,权重\n330300,2026-09,离网率,2.5%,25\n']), 'target_330300_202609.csv');
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    expect(res.status).toBe(200);
    const [file] = ((await res.json()) as { files: { status: string; rows_loaded: number; kind: string }[] }).files;
    expect(file).toMatchObject({ kind: 'target', status: 'loaded', rows_loaded: 1 });

    const again = await ts.fetch(path, { as: 'exec', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    const body = (await again.json()) as TargetsResult;
    expect(body.rows.find((r) => r.kpi === 'churn_rate')).toMatchObject({ target: 0.025, target_period: '2026-09' });
    // The annual targets of 330300 stayed: still six rows.
    expect(body.rows).toHaveLength(6);
  });
});

describe('GET /api/targets/loaded', () => {
  it('lists the targets loaded for admins and analysts, with their file; executives and regional users get 403', async () => {
    const { status, body } = await get<{ targets: { region_code: string; period: string; kpi: string; file: string }[] }>('/api/targets/loaded', 'analyst');
    expect(status).toBe(200);
    // The annual targets of 2026: 6 KPIs for each of the 11 cities and ALL, 72; the monthly overrides besides.
    expect(body.targets.filter((t) => t.period === '2026')).toHaveLength(72);
    expect(body.targets.find((t) => t.region_code === '330300' && t.period === '2026-09')).toMatchObject({ kpi: 'churn_rate', file: 'target_330300_202609.csv' });
    expect((await get('/api/targets/loaded', 'admin')).status).toBe(200);
    expect((await get('/api/targets/loaded', 'exec')).status).toBe(403);
    expect((await get('/api/targets/loaded', 'wenzhou')).status).toBe(403);
  });
});

describe('npm run targets', () => {
  it('--json through the running server prints the object GET /api/targets answers', async () => {
    const r = await runCliScript('cli/targets.ts', ['--db', ts.path, '--period', '2026-09', '--region', '330300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual((await get('/api/targets?period=2026-09&region=330300', 'admin')).body);
    const bad = await runCliScript('cli/targets.ts', ['--db', ts.path, '--period', '2026-13', '--json']);
    expect(bad.code).toBe(2);
  });
});
