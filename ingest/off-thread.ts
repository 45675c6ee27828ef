// Runs GBK transcoding and XLSX unpacking on a worker thread, so that a server's event loop keeps
// answering boards while a big file is read. One worker, started on first use and kept: starting
// one costs ~300 ms (it compiles the TypeScript jobs).
import { Worker } from 'node:worker_threads';
import type { WorkerJob } from './worker-jobs.ts';
import { XlsxError } from './xlsx.ts';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./worker.mjs', import.meta.url));
  w.on('message', (msg: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) w.unref();
    if (msg.error) p.reject(msg.error.name === 'XlsxError' ? new XlsxError(msg.error.message) : new Error(msg.error.message));
    else p.resolve(msg.result);
  });
  w.on('error', (err) => failAll(err));
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`the ingest worker stopped (exit code ${code})`));
  });
  w.unref();
  worker = w;
  return w;
}

export function runOffThread<T>(job: WorkerJob): Promise<T> {
  const w = getWorker();
  const id = nextId++;
  // Keep the process alive while a job runs; idle, the worker must not hold it open.
  w.ref();
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.postMessage({ id, job });
  });
}

export async function stopWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
