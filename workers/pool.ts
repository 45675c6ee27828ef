// Worker threads for JavaScript-heavy jobs (transcoding, unpacking XLSX, laying out a briefing), so
// that a server's event loop keeps answering requests meanwhile. A job names a module and a function
// it exports; the worker loads the module once (workers/worker.mjs), so this folder knows no job.
// Threads start on first use (each compiles the TypeScript it loads, ~300 ms) and are kept; idle,
// they do not keep the process alive.
import { Worker } from 'node:worker_threads';

/** The pool itself failed a job: a thread stopped, or the pool was closed. */
export class WorkerPoolError extends Error {
  override name = 'WorkerPoolError';
}

export interface WorkerPoolOptions {
  /** Threads at most (default 1); a server keeps to few, so that cores stay free for requests. */
  size?: number;
  /** What the threads are for, as messages name them ("the ingest worker stopped"). */
  name?: string;
}

interface Job {
  id: number;
  module: string;
  fn: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

type Reply = { id: number; result?: unknown; error?: { name: string; message: string } };

export class WorkerPool {
  readonly size: number;
  readonly name: string;
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;

  constructor(opts: WorkerPoolOptions = {}) {
    this.size = opts.size ?? 1;
    this.name = opts.name ?? 'job';
  }

  /**
   * Runs `fn` of `module` (a file URL, e.g. `import.meta.url` of the module) with `args` on a thread.
   * Arguments and result cross by structured clone; a job's error arrives with its name and message.
   */
  run<T>(module: string | URL, fn: string, args: unknown[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, module: String(module), fn, args, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Stops the threads; jobs not yet settled are rejected. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    const stopped = new WorkerPoolError(`the ${this.name} worker was stopped`);
    for (const job of this.queue.splice(0)) job.reject(stopped);
    for (const slot of slots) slot.job?.reject(stopped);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      // Alive while a job runs; idle, the thread must not hold the process open.
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, module: job.module, fn: job.fn, args: job.args });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url));
    const slot: Slot = { worker, job: null };
    worker.unref();
    worker.on('message', (msg: Reply) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      slot.job = null;
      worker.unref();
      if (msg.error) job.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else job.resolve(msg.result);
      this.pump();
    });
    const fail = (err: Error) => {
      this.slots = this.slots.filter((s) => s !== slot);
      slot.job?.reject(err);
      slot.job = null;
      this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) fail(new WorkerPoolError(`the ${this.name} worker stopped (exit code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }
}
