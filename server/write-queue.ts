// One writer: every change to the warehouse — loads, model runs, sandbox uploads, users and regions —
// goes through this queue, one at a time on the writer connection. Reads never wait for it: they run
// on connections of their own and see the last committed state (DuckDB MVCC).
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Jobs queued or running. */
  get pending(): number {
    return this.waiting;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const next = this.tail.then(job).finally(() => {
      this.waiting--;
    });
    // A failed job must not stop the ones behind it; its caller gets the error.
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when everything queued so far has finished. */
  async idle(): Promise<void> {
    while (this.waiting > 0) await this.tail;
  }
}
