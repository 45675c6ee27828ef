import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Answer, installFakeBrowser, type FakeBrowser, type FakeEventSource } from './fake-browser.ts';
import type { MissingExtracts } from '../../domain/missing.ts';
import { rankCities } from '../../charts/city-comparison.ts';
import { figure } from './figures.ts';
import { HEADLINE_KEYS } from './tiles.ts';
import type { KpiValues } from './types.ts';

const CITIES = [
  { code: '330100', name_zh: '杭州市', name_en: 'Hangzhou' },
  { code: '330300', name_zh: '温州市', name_en: 'Wenzhou' },
];

/** The server's side: figures by region, month and segment, which a test changes to play a load. */
class Warehouse {
  months = ['2026-07', '2026-08', '2026-09'];
  /** ARPU added to a month, as a load that restates it would. */
  restated = new Map<string, number>();
  failing = false;
  /** Per month, the regions without an extract of a kind (their figures from it are null). */
  missing = new Map<string, MissingExtracts>();
  /** Answers for this month wait until the promise settles: a slow query. */
  held: { period: string; until: Promise<void> } | null = null;

  /** Figures that differ by region, month and segment, so a test can tell which were shown. */
  figures(region: string, period: string, segment = ''): KpiValues {
    if (!this.months.includes(period)) return {};
    const m = Number(period.slice(5));
    const r = region === 'ALL' ? 0 : Number(region) % 1000;
    const share = segment ? 0.5 : 1;
    const complaintMissing = (this.missing.get(period)?.complaint ?? []).includes(region);
    const complaints = (v: number) => (complaintMissing ? null : v);
    return {
      active_subscriptions: (100_000 + r * 100 + m) * share,
      convergence_rate: 0.4 + m / 1000,
      churn_rate_converged: 0.01,
      churn_rate_standalone: 0.03,
      arpu: 50 + m + (this.restated.get(period) ?? 0),
      revenue: (1_000_000 + r + m) * share,
      complaints: complaints(40 + r),
      complaints_per_10k: complaints(12 + r / 100),
      escalated_complaints: complaints(4),
      sla_met_rate: complaints(0.95),
      customers_1_play: 60,
      customers_2_play: 25,
      customers_3_play: 10,
      customers_4_play: 5,
    };
  }

  async answer(url: URL): Promise<unknown> {
    if (this.failing) return new Answer(500, { error: 'warehouse busy' });
    const q = url.searchParams;
    if (this.held && q.get('period') === this.held.period) await this.held.until;
    const region = q.get('region') ?? 'ALL';
    switch (url.pathname) {
      case '/api/regions':
        return { regions: CITIES };
      case '/api/kpis': {
        const period = q.get('period')!;
        // The answer's scope: the region, or for the province the whole region list.
        const scope = (codes: string[]) => codes.filter((c) => region === 'ALL' || c === region);
        const missing = Object.entries(this.missing.get(period) ?? {})
          .map(([kind, codes]) => [kind, scope(codes)] as const)
          .filter(([, codes]) => codes.length > 0);
        return { period, region, kpis: this.figures(region, period, q.get('segment') ?? ''), missing_extracts: Object.fromEntries(missing) };
      }
      case '/api/kpis/series': {
        const key = q.get('key')!;
        const months = this.months.filter((m) => m >= q.get('from')! && m <= q.get('to')!);
        return { points: months.map((m) => ({ period: `${m}-01`, value: this.figures(region, m)[key] ?? null })) };
      }
      case '/api/kpis/breakdown':
        return { rows: [{ source: 'hotline', complaints: 5 }] };
    }
    return new Answer(404, { error: 'no such route' });
  }
}

type Board = InstanceType<(typeof import('./board.svelte.ts'))['BoardState']>;

let warehouse: Warehouse;
let browser: FakeBrowser;
let boards: Board[];

/** A board as the board page (withCities) or a regional user's page (fixedRegion) makes it. */
async function board(options: { fixedRegion?: string; withCities?: boolean } = {}): Promise<Board> {
  const { BoardState } = await import('./board.svelte.ts');
  const b = new BoardState({ fixedRegion: options.fixedRegion ?? null, withCities: options.withCities ?? !options.fixedRegion });
  boards.push(b);
  return b;
}

// Node's; the dashboard's typings are the browser's, which lack it.
declare function setImmediate(callback: () => void): unknown;

/** Lets every answered request reach the board (the fake server answers at once). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const requests = (path: string) => browser.requests.filter((u) => u.pathname === path).map((u) => Object.fromEntries(u.searchParams));

function events(): FakeEventSource {
  const source = browser.eventSources.at(-1);
  if (!source) throw new Error('the board opened no event stream');
  return source;
}

beforeEach(() => {
  // "Now" decides which months the board asks about; timers decide how long a highlight lasts.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-10-20T02:00:00Z'));
  warehouse = new Warehouse();
  browser = installFakeBrowser({ api: (url) => warehouse.answer(url) });
  boards = [];
  vi.resetModules();
});

afterEach(() => {
  for (const b of boards) b.destroy();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  performance.clearMarks();
});

describe('opening the board', () => {
  test('shows the province in the latest month with data: tiles, sparklines, cities, play mix, sources', async () => {
    const b = await board();
    expect(b.loading).toBe(true);
    await b.start();

    expect(b.periods).toEqual(['2026-07', '2026-08', '2026-09']);
    expect([b.period, b.region, b.segment]).toEqual(['2026-09', 'ALL', '']);
    expect(b.loading).toBe(false);
    expect(b.error).toBeNull();
    expect(b.updatedAt).toEqual(new Date('2026-10-20T02:00:00Z'));
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-09'));
    // The province is its own reference: no second request for it.
    expect(b.province).toEqual(b.kpis);
    expect(requests('/api/kpis').filter((q) => q.region === 'ALL')).toEqual([{ period: '2026-09', region: 'ALL' }]);

    // Twelve months a sparkline, ending with the board's month, months without data as gaps.
    expect(Object.keys(b.series).sort()).toEqual([...HEADLINE_KEYS].sort());
    expect(b.series.arpu).toHaveLength(12);
    expect(b.series.arpu![0]).toEqual({ period: '2025-10', value: null });
    expect(b.series.arpu!.slice(-3)).toEqual([
      { period: '2026-07', value: 57 },
      { period: '2026-08', value: 58 },
      { period: '2026-09', value: 59 },
    ]);

    expect(b.regions).toEqual(['330100', '330300']);
    expect(b.cities).toEqual({ '330100': warehouse.figures('330100', '2026-09'), '330300': warehouse.figures('330300', '2026-09') });
    expect(b.playMix).toHaveLength(4 * 12);
    expect(b.playMix.filter((r) => r.period === '2026-09')).toEqual([1, 2, 3, 4].map((plays, i) => ({ period: '2026-09', plays, customers: [60, 25, 10, 5][i] })));
    expect(b.sources).toEqual([{ source: 'hotline', complaints: 5 }]);
    expect(b.segmentKpis).toBeNull();
  });

  test('opens at the month, city and segment a shared address names, with the province to compare against', async () => {
    const b = await board();
    await b.start({ period: '2026-08', region: '330300', segment: 'household' });

    expect([b.period, b.region, b.segment]).toEqual(['2026-08', '330300', 'household']);
    expect(b.kpis).toEqual(warehouse.figures('330300', '2026-08'));
    expect(b.province).toEqual(warehouse.figures('ALL', '2026-08'));
    expect(b.provinceSeries.arpu!.at(-1)).toEqual({ period: '2026-08', value: 58 });
    expect(b.segmentKpis).toEqual(warehouse.figures('330300', '2026-08', 'household'));
    expect(b.segmentSeries.active_subscriptions!.at(-1)).toEqual({ period: '2026-08', value: (100_000 + 300 * 100 + 8) * 0.5 });
  });

  test('a month without data or a malformed region in the address falls back to the latest month and the province', async () => {
    const b = await board();
    await b.start({ period: '2025-01', region: '../admin' });
    expect([b.period, b.region]).toEqual(['2026-09', 'ALL']);
    expect(new Set(requests('/api/kpis').map((q) => q.region))).not.toContain('../admin');
  });

  test('says what went wrong when the server fails, and stops showing the loading state', async () => {
    warehouse.failing = true;
    const b = await board();
    await b.start();
    expect(b.error).toBe('warehouse busy');
    expect(b.loading).toBe(false);
    expect(b.kpis).toBeNull();
  });

  test('marks the first render for the benchmark once the tiles are painted', async () => {
    const b = await board();
    await b.start();
    vi.advanceTimersByTime(100);
    expect(performance.getEntriesByName('tca:tiles')).toHaveLength(1);
  });
});

describe('filters', () => {
  test('a city shows its figures against the province; the old figures stay until the new ones are in', async () => {
    const b = await board();
    await b.start();
    const before = b.kpis;

    b.setFilters({ region: '330100' });
    expect(b.region).toBe('330100');
    expect(b.kpis).toEqual(before);
    expect(b.loading).toBe(false);
    await settle();

    expect(b.kpis).toEqual(warehouse.figures('330100', '2026-09'));
    expect(b.province).toEqual(warehouse.figures('ALL', '2026-09'));
    expect(Object.keys(b.cities)).toEqual(['330100', '330300']);
  });

  test('a segment loads its own figures month by month for its sparklines; clearing it drops them', async () => {
    const b = await board();
    await b.start();
    b.setFilters({ segment: 'enterprise' });
    await settle();

    const bySegment = requests('/api/kpis').filter((q) => q.segment === 'enterprise');
    expect(bySegment.map((q) => q.period)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09']);
    expect(b.segmentKpis).toEqual(warehouse.figures('ALL', '2026-09', 'enterprise'));
    expect(b.segmentSeries.revenue!.at(-1)).toEqual({ period: '2026-09', value: 500_004.5 });
    // The headline tiles keep the whole market's figures beside the segment's.
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-09'));

    b.setFilters({ segment: '' });
    await settle();
    expect(b.segmentKpis).toBeNull();
    expect(b.segmentSeries).toEqual({});
  });

  test('the last choice wins when filters change faster than the server answers; the one given up on is no error', async () => {
    const b = await board();
    await b.start();
    let release = () => {};
    warehouse.held = { period: '2026-08', until: new Promise<void>((resolve) => (release = resolve)) };
    b.setFilters({ period: '2026-07' });
    b.setFilters({ period: '2026-08' });
    await settle();
    expect(b.error).toBeNull();
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-09'));

    release();
    await settle();
    expect(b.period).toBe('2026-08');
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-08'));
    expect(b.error).toBeNull();
  });

  test('a failed refresh keeps the figures on screen with the error; the next one clears it', async () => {
    const b = await board();
    await b.start();
    warehouse.failing = true;
    b.setFilters({ period: '2026-08' });
    await settle();
    expect(b.error).toBe('warehouse busy');
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-09'));

    warehouse.failing = false;
    b.setFilters({ period: '2026-08' });
    await settle();
    expect(b.error).toBeNull();
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-08'));
  });

  test("a regional user's board never asks for another city, whatever the address or the filters say", async () => {
    const b = await board({ fixedRegion: '330300' });
    await b.start({ region: '330100' });
    b.setFilters({ region: 'ALL' });
    await settle();

    expect(b.region).toBe('330300');
    expect(b.regions).toEqual(['330300']);
    expect(b.kpis).toEqual(warehouse.figures('330300', '2026-09'));
    expect(b.cities).toEqual({});
    expect(b.province).toBeNull();
    const asked = browser.requests.map((u) => u.searchParams.get('region')).filter((r) => r !== null);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['330300']));
  });
});

describe('missing extracts ("not reported", never 0)', () => {
  test("a city without a complaint extract reads not reported, in the comparison and on its own board; the province does not", async () => {
    warehouse.missing.set('2026-09', { complaint: ['330300'] });
    const b = await board();
    await b.start();

    // The province has Hangzhou's complaints: a figure, not "not reported".
    expect(b.scope).toEqual({ region: 'ALL', missing: { complaint: ['330300'] }, regionCount: 2 });
    expect(figure('complaints_per_10k', b.kpis, b.scope, 'zh').text).toBe('12.00');
    expect(b.panelsMissing).toEqual({ channels: [], complaints: [] });

    // In the comparison Wenzhou is not reported and ranked after Hangzhou; Hangzhou is rank 1.
    expect(b.cityScopes['330300']!.missing).toEqual({ complaint: ['330300'] });
    expect(b.cityScopes['330100']!.missing).toEqual({});
    const values = b.cityValues('escalated_complaints');
    expect(values).toEqual([
      { region_code: '330100', name: '杭州市', value: 4, notReported: false },
      { region_code: '330300', name: '温州市', value: null, notReported: true },
    ]);
    expect(rankCities('escalated_complaints', values).map((c) => [c.region_code, c.rank])).toEqual([['330100', 1], ['330300', null]]);
    expect(figure('escalated_complaints', b.cities['330300'], b.cityScopes['330300']!, 'en').text).toBe('not reported');

    // Wenzhou's own board: every complaint figure not reported, the others as they are.
    b.setFilters({ region: '330300' });
    await settle();
    expect(b.scope).toEqual({ region: '330300', missing: { complaint: ['330300'] }, regionCount: 2 });
    for (const key of ['complaints_per_10k', 'escalated_complaints', 'sla_met_rate']) {
      expect(figure(key, b.kpis, b.scope, 'zh')).toMatchObject({ value: null, notReported: ['complaint'], text: '未上报' });
    }
    expect(figure('arpu', b.kpis, b.scope, 'zh').text).toBe('¥59.00');
    expect(b.panelsMissing).toEqual({ channels: [], complaints: ['complaint'] });
  });

  test('a null that is not from a missing extract keeps its dash', async () => {
    const b = await board();
    await b.start({ region: '330100' });
    expect(b.scope).toEqual({ region: '330100', missing: {}, regionCount: 2 });
    expect(figure('net_adds', b.kpis, b.scope, 'zh')).toMatchObject({ value: null, notReported: [], text: '—' });
    expect(b.cityValues('net_adds').every((c) => c.value === null && !c.notReported)).toBe(true);
  });

  test("a segment's figures carry their own answer's missing extracts", async () => {
    warehouse.missing.set('2026-09', { complaint: ['330300'] });
    const b = await board();
    await b.start({ region: '330300', segment: 'household' });
    expect(b.segmentScope).toEqual({ region: '330300', missing: { complaint: ['330300'] }, regionCount: 2 });
    b.setFilters({ segment: '' });
    await settle();
    expect(b.segmentScope).toBeNull();
  });
});

describe('live updates', () => {
  test('a model run with a new month moves a board on the latest month to it and highlights what changed', async () => {
    const b = await board();
    await b.start();
    b.listen();
    expect(events().url).toBe('/api/events');
    events().open();
    expect(b.online).toBe(true);

    warehouse.months.push('2026-10');
    events().emit('models', { run_id: 2, data_version: 8, slices: null });
    expect(b.dataVersion).toBe(8);
    await settle();

    expect(b.periods.at(-1)).toBe('2026-10');
    expect(b.period).toBe('2026-10');
    expect(b.kpis).toEqual(warehouse.figures('ALL', '2026-10'));
    expect(b.changed).toEqual(['active_subscriptions', 'convergence_rate', 'arpu', 'revenue']);
    vi.advanceTimersByTime(3_999);
    expect(b.changed).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(b.changed).toEqual([]);
    expect(performance.getEntriesByName('tca:live-update')).toHaveLength(1);
  });

  test('a board on an earlier month stays there and shows the restated figures', async () => {
    const b = await board();
    await b.start({ period: '2026-08' });
    b.listen();

    warehouse.months.push('2026-10');
    warehouse.restated.set('2026-08', 3);
    events().emit('models', { run_id: 2, data_version: 8, slices: null });
    await settle();

    expect(b.period).toBe('2026-08');
    expect(b.periods).toContain('2026-10');
    expect(b.kpis?.arpu).toBe(61);
    expect(b.changed).toEqual(['arpu']);
  });

  test('a load is announced until the model run that follows it lands, or for a minute at most', async () => {
    const b = await board();
    await b.start();
    b.listen();
    const loaded = { load_id: 5, kind: 'subscriber', status: 'loaded', slices: [] };

    events().emit('load', { ...loaded, status: 'refused' });
    expect(b.pendingLoad).toBeNull();

    events().emit('load', loaded);
    expect(b.pendingLoad).toEqual(loaded);
    events().emit('models', { run_id: 3, data_version: 9, slices: null });
    await settle();
    expect(b.pendingLoad).toBeNull();

    events().emit('load', loaded);
    vi.advanceTimersByTime(59_999);
    expect(b.pendingLoad).toEqual(loaded);
    vi.advanceTimersByTime(1);
    expect(b.pendingLoad).toBeNull();
  });

  test('offline while the connection is down; back online it fetches again, since events may have been missed', async () => {
    const b = await board();
    await b.start();
    b.listen();
    const asked = () => requests('/api/kpis').length;

    events().open();
    await settle();
    const before = asked();
    expect(before).toBeGreaterThan(0);

    events().drop();
    expect(b.online).toBe(false);
    await settle();
    expect(asked()).toBe(before);

    events().open();
    expect(b.online).toBe(true);
    await settle();
    expect(asked()).toBeGreaterThan(before);
  });

  test('a malformed event is skipped', async () => {
    const b = await board();
    await b.start();
    b.listen();
    events().dispatchEvent(new MessageEvent('models', { data: '{not json' }));
    await settle();
    expect(b.dataVersion).toBeNull();
    expect(b.error).toBeNull();
  });

  test('listening again replaces the stream, and leaving the page closes it', async () => {
    const b = await board();
    b.listen();
    const first = events();
    b.listen();
    expect(first.readyState).toBe(2);
    b.destroy();
    expect(events()).not.toBe(first);
    expect(events().readyState).toBe(2);
  });
});
