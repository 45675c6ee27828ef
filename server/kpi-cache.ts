// KPI responses cached per data version: the figures change only when a model run commits, so a
// board's request is answered from memory until then, with an ETag so an unchanged answer costs a 304.
// Entries are keyed by the request's parameters (authorisation happened before the lookup), and an
// entry computed under an older version is never served.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

export interface CachedBody {
  version: number;
  etag: string;
  body: string;
}

export class KpiCache {
  private entries = new Map<string, CachedBody>();
  /** Computations under way: after a load, 32 boards asking the same thing compute it once. */
  private pending = new Map<string, Promise<CachedBody>>();
  version = 0;

  constructor(private readonly max = 5000) {}

  /** Moves to a new data version; every older entry is dropped. */
  setVersion(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.entries.clear();
  }

  /** The cached answer, or computes it; `compute` starts under the version current at the call. */
  async get(key: string, compute: () => Promise<unknown>): Promise<CachedBody> {
    const version = this.version;
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit;
    const flight = `${version}|${key}`;
    let job = this.pending.get(flight);
    if (!job) {
      job = this.compute(key, version, compute).finally(() => this.pending.delete(flight));
      this.pending.set(flight, job);
    }
    return job;
  }

  private async compute(key: string, version: number, compute: () => Promise<unknown>): Promise<CachedBody> {
    const body = JSON.stringify(await compute());
    const etag = `"v${version}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
    const entry = { version, etag, body };
    // Stored only if no model run committed meanwhile.
    if (this.version === version) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, entry);
    }
    return entry;
  }
}

/** Sends a cached body, or 304 when the client holds the same ETag. */
export function sendCached(req: Request, res: Response, entry: CachedBody): void {
  res.setHeader('ETag', entry.etag);
  // Always revalidate: the data version can change at any load.
  res.setHeader('Cache-Control', 'private, no-cache');
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim() === entry.etag || t.trim() === `W/${entry.etag}`)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(entry.body);
}
