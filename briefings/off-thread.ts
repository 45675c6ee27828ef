// Renders briefings on worker threads: laying out a PDF and its charts is about a second of pure
// JavaScript, which on the server's main thread would stall every board's request meanwhile. The
// workers start on first use (each loads the TypeScript renderer, vega and the fonts once) and stay;
// idle, they do not keep the process alive.
import { Worker } from 'node:worker_threads';
import type { BriefingData } from './briefing.ts';
import type { BriefingFormat } from './render.ts';

interface Job {
  id: number;
  data: BriefingData;
  format: BriefingFormat;
  resolve: (bytes: Uint8Array) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class RenderPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;

  /** `size` threads at most; the server keeps to one so that a core stays free for requests. */
  constructor(private readonly size = 1) {}

  render(data: BriefingData, format: BriefingFormat): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, data, format, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const job of this.queue.splice(0)) job.reject(new Error('the briefing renderer was stopped'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, data: job.data, format: job.format });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url));
    const slot: Slot = { worker, job: null };
    worker.unref();
    worker.on('message', (msg: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      slot.job = null;
      worker.unref();
      if (msg.error !== undefined || !msg.bytes) job.reject(new Error(`rendering the briefing failed: ${msg.error}`));
      else job.resolve(msg.bytes);
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
      if (this.slots.includes(slot)) fail(new Error(`the briefing worker stopped (exit code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }
}
