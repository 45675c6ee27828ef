// Server-sent events to the boards: `load`, `models`, `progress` and `alert`. Each subscriber has a scope — a
// region or ALL, already authorised — and sees only the slices of that scope: a regional board
// learns that its city's data changed, never which other cities loaded what.
import type { Response } from 'express';

export interface Slice {
  region_code: string;
  period: string;
}

export interface LoadEvent {
  load_id: number | null;
  kind: string | null;
  status: string;
  file?: string;
  slices: Slice[];
}

export interface ModelsEvent {
  run_id: number;
  data_version: number;
  status: string;
  slices: Slice[] | null;
}

export interface ProgressEvent {
  job: string;
  done: number;
  total: number;
  phase?: string;
}

interface Subscriber {
  res: Response;
  /** Region code or 'ALL'. */
  scope: string;
  /** Regional users see no file names and no loads outside their city. */
  restricted: boolean;
}

export class EventHub {
  private subscribers = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 20_000) {
    // A comment line now and then keeps proxies from closing an idle stream.
    this.heartbeat = setInterval(() => this.broadcast(() => ': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(res: Response, scope: string, restricted: boolean, hello: Record<string, unknown>): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const sub: Subscriber = { res, scope, restricted };
    this.subscribers.add(sub);
    res.on('close', () => this.subscribers.delete(sub));
    res.write(`retry: 3000\n\n`);
    res.write(frame('hello', { scope, ...hello }));
  }

  private broadcast(render: (s: Subscriber) => string | null): void {
    for (const s of this.subscribers) {
      const text = render(s);
      if (text !== null && !s.res.writableEnded) s.res.write(text);
    }
  }

  load(e: LoadEvent): void {
    this.broadcast((s) => {
      const slices = inScope(e.slices, s.scope);
      // A scoped board hears only of loads that touched its region; a refused file touched none.
      if (s.scope !== 'ALL' && slices.length === 0) return null;
      const { file, ...rest } = e;
      return frame('load', { ...rest, ...(s.restricted || file === undefined ? {} : { file }), slices });
    });
  }

  models(e: ModelsEvent): void {
    // Every board hears of a new data version (a city's figures can move when another city re-sends).
    this.broadcast((s) => frame('models', { ...e, slices: e.slices === null ? null : inScope(e.slices, s.scope) }));
  }

  /**
   * A fired or resolved alert (server/alerts.ts) to the boards and wall screens of its region and to
   * those of the whole province (users without a region): a city's board never hears of another's.
   */
  alert(e: { region_code: string }): void {
    this.broadcast((s) => (s.scope === 'ALL' || s.scope === e.region_code ? frame('alert', e) : null));
  }

  /**
   * A job's progress goes to the boards of users without a region only: which cities a file holds is
   * known when it has been read, so a regional board hears of its city's loads by `load`, not of jobs.
   */
  progress(e: ProgressEvent): void {
    this.broadcast((s) => (s.restricted ? null : frame('progress', e)));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const s of this.subscribers) s.res.end();
    this.subscribers.clear();
  }
}

function inScope(slices: Slice[], scope: string): Slice[] {
  return scope === 'ALL' ? slices : slices.filter((s) => s.region_code === scope);
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
