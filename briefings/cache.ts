// Briefings on demand: generated on the first request, then served from memory until the data
// behind them changes (briefingVersion: a model run over one of the months shown, or a new load of
// the month). Concurrent requests for the same briefing share one rendering; the PDF and the XLSX of
// a briefing share one gathering of its figures. Nothing here touches the file system: the cache
// key is built from the validated region and month only.
import { isPeriod } from '../domain/period.ts';
import { isRegionScope } from '../domain/region-code.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { UserError } from '../warehouse/errors.ts';
import type { BriefingData } from './briefing.ts';
import { briefingVersion, gatherBriefing, type KpiSource } from './content.ts';
import { queryLayerSource } from './kpi-source.ts';
import type { BriefingFormat } from './render.ts';
import { isLang, type Lang } from './text.ts';
import { WorkerPool, WorkerPoolError } from '../workers/pool.ts';

export interface BriefingServiceOptions {
  /** Where the figures come from; the KPI query layer unless a test says otherwise. */
  source?: (wh: Warehouse) => KpiSource;
  /** Data → bytes; defaults to renderBriefing on worker threads. */
  render?: (data: BriefingData, format: BriefingFormat, lang: Lang) => Promise<Uint8Array>;
  /**
   * The threads to render on, their owner's to close (the server's: one, so that a core stays free
   * for requests); without them the service starts `threads` of its own (default 1).
   */
  workers?: WorkerPool;
  threads?: number;
  now?: () => Date;
  /** Bytes of rendered briefings kept in memory (default 256 MB; a briefing is a few hundred KB). */
  maxBytes?: number;
}

export interface BriefingProgress {
  done: number;
  total: number;
  region: string;
}

const FORMATS: readonly string[] = ['pdf', 'xlsx'];

/** The route validates first; this is the second check, at the boundary of what reaches a key. */
export function checkRequest(region: string, period: string, format: string, lang: string = 'zh'): void {
  if (!isRegionScope(region)) throw new UserError(`region must be a 6-digit code or ALL, got ${JSON.stringify(region)}`);
  if (!isPeriod(period)) throw new UserError(`month must be YYYY-MM, got ${JSON.stringify(period)}`);
  if (!FORMATS.includes(format)) throw new UserError(`format must be pdf or xlsx, got ${JSON.stringify(format)}`);
  if (!isLang(lang)) throw new UserError(`lang must be zh or en, got ${JSON.stringify(lang)}`);
}

/** renderBriefing on a worker thread: laying out a PDF and its charts is about a second of pure JavaScript. */
function renderOn(workers: WorkerPool) {
  const module = new URL('./render.ts', import.meta.url);
  return (data: BriefingData, format: BriefingFormat, lang: Lang) =>
    workers.run<Uint8Array>(module, 'renderBriefing', [data, format, lang]).catch((err: Error) => {
      throw err instanceof WorkerPoolError ? err : new Error(`rendering the briefing failed: ${err.message}`);
    });
}

interface Entry {
  version: string;
  bytes: Uint8Array;
}

export class BriefingService {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  private readonly data = new Map<string, { version: string; data: Promise<BriefingData> }>();
  private bytes = 0;
  private renders = 0;
  /** The worker threads this service started itself, closed with it. */
  private readonly ownWorkers: WorkerPool | null;
  private readonly renderFn: (data: BriefingData, format: BriefingFormat, lang: Lang) => Promise<Uint8Array>;

  constructor(private readonly opts: BriefingServiceOptions = {}) {
    this.ownWorkers = opts.render || opts.workers ? null : new WorkerPool({ size: opts.threads ?? 1, name: 'briefing' });
    this.renderFn = opts.render ?? renderOn(opts.workers ?? this.ownWorkers!);
  }

  /** The briefing's bytes in `lang` (Chinese by default), from the cache when its data has not changed since it was rendered. */
  async get(wh: Warehouse, region: string, period: string, format: BriefingFormat, lang: Lang = 'zh'): Promise<Uint8Array> {
    checkRequest(region, period, format, lang);
    // One entry per edition: the language is part of the key (the figures behind both are gathered once).
    const key = `${region}|${period}|${format}|${lang}`;
    const version = await briefingVersion(wh, period);
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Least recently used goes first: re-inserting moves the entry to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.bytes;
    }
    const flight = `${key}|${version}`;
    let job = this.pending.get(flight);
    if (!job) {
      job = this.generate(wh, region, period, format, lang, version).finally(() => this.pending.delete(flight));
      this.pending.set(flight, job);
    }
    return job;
  }

  /** Renders (or refreshes) both formats of the given regions' briefings of a month, one after another. */
  async pregenerate(wh: Warehouse, period: string, regions: readonly string[], progress?: (p: BriefingProgress) => void): Promise<void> {
    let done = 0;
    for (const region of regions) {
      for (const format of ['pdf', 'xlsx'] as const) await this.get(wh, region, period, format);
      progress?.({ done: ++done, total: regions.length, region });
    }
  }

  /** Cached briefings (count, bytes) and how many were rendered in all (for health output and tests). */
  stats(): { entries: number; bytes: number; renders: number } {
    return { entries: this.entries.size, bytes: this.bytes, renders: this.renders };
  }

  async close(): Promise<void> {
    await this.ownWorkers?.close();
  }

  private async generate(wh: Warehouse, region: string, period: string, format: BriefingFormat, lang: Lang, version: string): Promise<Uint8Array> {
    const data = await this.gather(wh, region, period, version);
    const bytes = await this.renderFn(data, format, lang);
    this.renders++;
    this.store(`${region}|${period}|${format}|${lang}`, { version: data.dataVersion, bytes });
    return bytes;
  }

  private gather(wh: Warehouse, region: string, period: string, version: string): Promise<BriefingData> {
    const key = `${region}|${period}`;
    const known = this.data.get(key);
    if (known && known.version === version) return known.data;
    const data = gatherBriefing(wh, (this.opts.source ?? queryLayerSource)(wh), { region, period }, { now: this.opts.now });
    this.data.set(key, { version, data });
    data.catch(() => this.data.delete(key));
    // Figures are wanted for a moment (the PDF and then the XLSX), not kept.
    if (this.data.size > 32) this.data.delete(this.data.keys().next().value as string);
    return data;
  }

  private store(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes.byteLength;
    const max = this.opts.maxBytes ?? 256 * 1024 * 1024;
    for (const [k, e] of this.entries) {
      if (this.bytes <= max || k === key) break;
      this.entries.delete(k);
      this.bytes -= e.bytes.byteLength;
    }
  }
}
