// A fixed set of DuckDB connections (or Warehouse forks) handed out one request at a time: a DuckDB
// connection runs one query at a time, and a bounded set keeps ad-hoc SQL from starving the boards.
import { HttpError } from './http-error.ts';

export class ConnectionPool<T> {
  private free: T[];
  private waiting: ((item: T) => void)[] = [];

  constructor(
    readonly items: readonly T[],
    /** Requests allowed to wait for an item before the next is told to retry later (429). */
    private readonly maxWaiting = 64,
  ) {
    this.free = [...items];
  }

  async acquire(): Promise<T> {
    const item = this.free.pop();
    if (item !== undefined) return item;
    if (this.waiting.length >= this.maxWaiting) throw new HttpError(429, 'the server is busy: too many queries waiting; retry shortly');
    return new Promise<T>((resolve) => this.waiting.push(resolve));
  }

  release(item: T): void {
    const next = this.waiting.shift();
    if (next) next(item);
    else this.free.push(item);
  }

  async use<R>(fn: (item: T) => Promise<R>): Promise<R> {
    const item = await this.acquire();
    try {
      return await fn(item);
    } finally {
      this.release(item);
    }
  }
}
