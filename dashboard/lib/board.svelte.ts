// The state of a KPI board (the board page and the wall share it): filters, the figures for them,
// when they were last refreshed, and which tiles a live update changed. Headline figures load first
// so the tiles render before the charts' data and libraries; a refresh keeps the old figures on
// screen until the new ones are in, then swaps them and highlights what moved.
import type { CityValue } from '../../charts/city-comparison.ts';
import type { PlayMixRow } from '../../charts/play-mix.ts';
import type { Kind } from '../../domain/contracts.ts';
import { isRegionScope } from '../../domain/region-code.ts';
import { api } from './api.ts';
import { fetchCities, fetchPlayMix, fetchSegment, fetchSeries } from './board-data.ts';
import { subscribe } from './events.ts';
import { notReportedKinds, notReportedSources, scopeOf, type FigureScope } from './figures.ts';
import { regions } from './regions.svelte.ts';
import { changedTiles, HEADLINE_KEYS, PANEL_KEYS } from './tiles.ts';
import type { KpiResult, KpiValues, LoadEvent, SeriesPoint } from './types.ts';
import type { TargetRow, TargetsResult } from '../../domain/targets.ts';

/** How long a changed tile stays highlighted after a live update. */
const HIGHLIGHT_MS = 4000;

export interface BoardOptions {
  /** A regional user's city: the board never asks for another. */
  fixedRegion: string | null;
  /** Load the 11-city comparison (not for regional users). */
  withCities: boolean;
}

/**
 * A performance mark once the figures just set are on screen (after the next frame): what the
 * benchmark reads as the board's first render and a live update's arrival.
 */
function markPainted(name: string): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}

export class BoardState {
  period = $state<string | null>(null);
  region = $state('ALL');
  segment = $state('');
  periods = $state<string[]>([]);

  kpis = $state<KpiValues | null>(null);
  /** Where `kpis` were asked for and which extracts had not arrived there ("not reported"). */
  scope = $state<FigureScope | null>(null);
  /** The province's figures, for reference lines when a city is selected. */
  province = $state<KpiValues | null>(null);
  series = $state<Record<string, SeriesPoint[]>>({});
  /** The panels' figures over the months (the complaints panel's overdue and appeal tiles). */
  panelSeries = $state<Record<string, SeriesPoint[]>>({});
  /** The province's headline series, to compare a drilled-down city's trend against. */
  provinceSeries = $state<Record<string, SeriesPoint[]>>({});
  cities = $state<Record<string, KpiValues>>({});
  /** Each city's missing extracts, for its figures in the comparison. */
  cityScopes = $state<Record<string, FigureScope>>({});
  playMix = $state<PlayMixRow[]>([]);
  /** Subscription and revenue figures of the selected segment (null: all segments). */
  segmentKpis = $state<KpiValues | null>(null);
  segmentScope = $state<FigureScope | null>(null);
  segmentSeries = $state<Record<string, SeriesPoint[]>>({});
  /** The board region's targets judged for the month (null until loaded, or when the answer failed). */
  targets = $state<TargetsResult | null>(null);
  /** Complaints per source (a breakdown /api/kpis does not carry). */
  sources = $state<Record<string, unknown>[] | null>(null);

  updatedAt = $state<Date | null>(null);
  changed = $state<string[]>([]);
  error = $state<string | null>(null);
  /** True from the first request until the headline figures are on screen. */
  loading = $state(true);
  online = $state(false);
  /** A load was announced and the models event that follows has not arrived yet. */
  pendingLoad = $state<LoadEvent | null>(null);
  dataVersion = $state<number | null>(null);

  private generation = 0;
  private controller: AbortController | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | null = null;

  constructor(readonly options: BoardOptions) {
    if (options.fixedRegion) this.region = options.fixedRegion;
  }

  get regions(): string[] {
    return this.options.fixedRegion ? [this.options.fixedRegion] : regions.codes;
  }

  /** Finds the months with data and loads the latest (or the one asked for). */
  async start(wanted: { period?: string | null; region?: string | null; segment?: string | null } = {}): Promise<void> {
    // The region list and the months are independent: ask for both at once (first render).
    const regionsLoaded = regions.load();
    // A region from the address bar: the server answers 400/403 for one that does not exist or is not allowed.
    if (wanted.region && !this.options.fixedRegion && isRegionScope(wanted.region)) this.region = wanted.region;
    if (wanted.segment) this.segment = wanted.segment;
    try {
      [this.periods] = await Promise.all([this.findPeriods(), regionsLoaded]);
    } catch (err) {
      this.fail(err);
      return;
    }
    const latest = this.periods.at(-1) ?? null;
    this.period = wanted.period && this.periods.includes(wanted.period) ? wanted.period : latest;
    await this.refresh();
  }

  /** Months with a subscriber extract for the board's region, oldest first. */
  private async findPeriods(): Promise<string[]> {
    const body = await api.periods(this.region);
    return body;
  }

  listen(): void {
    this.unsubscribe?.();
    let dropped = false;
    this.unsubscribe = subscribe({
      status: (open) => {
        // Back after a dropped connection (a server restart, a network blip): events may have been
        // missed while away, so fetch the figures again rather than trust them.
        if (open && dropped) void this.onModels();
        dropped = !open;
        this.online = open;
      },
      load: (e) => {
        if (e.status !== 'loaded') return;
        this.pendingLoad = e;
        // The models event normally follows within seconds; if the model run fails there is none.
        clearTimeout(this.pendingTimer);
        this.pendingTimer = setTimeout(() => (this.pendingLoad = null), 60_000);
      },
      models: (e) => {
        this.dataVersion = e.data_version;
        void this.onModels();
      },
    });
  }

  private async onModels(): Promise<void> {
    // A new month may have arrived: follow it when the board was showing the latest one.
    const wasLatest = this.period === this.periods.at(-1);
    try {
      this.periods = await this.findPeriods();
    } catch {
      // keep the months we know; the refresh below reports any error
    }
    if (wasLatest && this.periods.length) this.period = this.periods.at(-1)!;
    await this.refresh({ live: true });
  }

  setFilters(f: { period?: string; region?: string; segment?: string }): void {
    if (f.period !== undefined) this.period = f.period;
    if (f.region !== undefined && !this.options.fixedRegion) this.region = f.region;
    if (f.segment !== undefined) this.segment = f.segment;
    void this.refresh();
  }

  /** Loads the figures for the current filters; a later call supersedes an earlier one. */
  async refresh({ live = false } = {}): Promise<void> {
    const period = this.period;
    if (!period) {
      this.loading = false;
      return;
    }
    const gen = ++this.generation;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const { signal } = controller;
    const region = this.region;
    if (!live) this.loading = this.kpis === null;
    try {
      const segment = this.segment;
      const [current, series, bySegment, targets] = await Promise.all([
        api.kpis(period, region, signal),
        fetchSeries(HEADLINE_KEYS, region, period, signal),
        segment ? fetchSegment(segment, HEADLINE_KEYS, region, period, signal) : Promise.resolve(null),
        // The figures stand without their targets: a failed targets answer only leaves them unjudged.
        api.targets(period, region, signal).catch(() => null),
      ]);
      if (gen !== this.generation) return;
      const before = this.kpis;
      this.kpis = current.kpis;
      this.scope = this.scopeOf(current);
      this.series = series;
      this.segmentKpis = bySegment?.current.kpis ?? null;
      this.segmentScope = bySegment ? this.scopeOf(bySegment.current) : null;
      this.segmentSeries = bySegment?.series ?? {};
      this.targets = targets;
      this.error = null;
      this.loading = false;
      this.updatedAt = new Date();
      if (live) {
        this.highlight(changedTiles(before, current.kpis));
        this.pendingLoad = null;
      }
      markPainted(live ? 'tca:live-update' : 'tca:tiles');
      await this.loadSecondary(gen, period, region, signal);
    } catch (err) {
      if (gen === this.generation && !signal.aborted) this.fail(err);
    }
  }

  /** The charts' figures: cities, play mix, the province reference. */
  private async loadSecondary(gen: number, period: string, region: string, signal: AbortSignal): Promise<void> {
    const compare = region !== 'ALL' && !this.options.fixedRegion;
    const [cities, playMix, province, provinceSeries, sources, panelSeries] = await Promise.all([
      this.options.withCities ? fetchCities(this.regions, period, signal) : Promise.resolve<Record<string, KpiResult>>({}),
      fetchPlayMix(region, period, signal),
      compare ? api.kpis(period, 'ALL', signal).then((r) => r.kpis) : Promise.resolve(region === 'ALL' ? this.kpis : null),
      compare ? fetchSeries(HEADLINE_KEYS, 'ALL', period, signal) : Promise.resolve({}),
      api.breakdown('source', period, region, signal).then((b) => b.rows),
      fetchSeries(PANEL_KEYS, region, period, signal),
    ]);
    if (gen !== this.generation) return;
    this.sources = sources;
    this.provinceSeries = provinceSeries;
    this.panelSeries = panelSeries;
    this.cities = Object.fromEntries(Object.entries(cities).map(([code, r]) => [code, r.kpis]));
    this.cityScopes = Object.fromEntries(Object.entries(cities).map(([code, r]) => [code, this.scopeOf(r)]));
    this.playMix = playMix;
    this.province = province;
  }

  /** The targets by KPI key (for the tiles and the trend's target line); the segment view has none. */
  get targetsByKpi(): Record<string, TargetRow> {
    if (!this.targets || this.segment) return {};
    return Object.fromEntries(this.targets.rows.map((r) => [r.kpi, r]));
  }

  /**
   * The extracts not reported for the channel and complaint panels' figures: a panel says so in
   * place of its charts, which would otherwise draw nothing, or zeros.
   */
  get panelsMissing(): { channels: Kind[]; complaints: Kind[] } {
    return {
      channels: notReportedKinds(['commission_total', 'gross_adds'], this.kpis, this.scope),
      complaints: notReportedKinds(['complaints'], this.kpis, this.scope),
    };
  }

  /** Every city's figure for `key`, as the comparison ranks it (chart and table alike). */
  cityValues(key: string): CityValue[] {
    return Object.entries(this.cities).map(([code, kpis]) => ({
      region_code: code,
      name: regions.name(code),
      value: kpis[key] ?? null,
      notReported: notReportedSources(key, kpis, this.cityScopes[code] ?? null).length > 0,
    }));
  }

  /** An answer's scope; for the province, a kind is missing only when every region the dashboard knows lacks it. */
  private scopeOf(answer: KpiResult): FigureScope {
    return scopeOf(answer, regions.codes.length);
  }

  private highlight(ids: string[]): void {
    clearTimeout(this.highlightTimer);
    this.changed = ids;
    if (ids.length) this.highlightTimer = setTimeout(() => (this.changed = []), HIGHLIGHT_MS);
  }

  private fail(err: unknown): void {
    this.error = err instanceof Error ? err.message : String(err);
    this.loading = false;
  }

  destroy(): void {
    this.unsubscribe?.();
    this.controller?.abort();
    clearTimeout(this.highlightTimer);
    clearTimeout(this.pendingTimer);
  }
}
