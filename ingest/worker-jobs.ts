// The JavaScript-heavy steps of a load, as jobs a worker thread runs (workers/pool.ts), or this thread
// when no pool is given (a CLI may block its own event loop).
import type { WorkerPool } from '../workers/pool.ts';
import { transcodeToUtf8 } from './transcode.ts';
import { XlsxError, xlsxToCsv } from './xlsx.ts';

export type WorkerJob =
  | { type: 'transcode'; src: string; dest: string; encoding: string }
  | { type: 'xlsx'; file: string; out: string; sheet?: string };

export async function runJob(job: WorkerJob): Promise<unknown> {
  if (job.type === 'transcode') return transcodeToUtf8(job.src, job.dest, job.encoding);
  return xlsxToCsv(job.file, job.out, job.sheet);
}

/** On the pool's thread when there is one; an XlsxError comes back as one (a refusal, not a crash). */
export async function runJobOn<T>(workers: WorkerPool | undefined, job: WorkerJob): Promise<T> {
  if (!workers) return (await runJob(job)) as T;
  try {
    return await workers.run<T>(import.meta.url, 'runJob', [job]);
  } catch (err) {
    throw err instanceof Error && err.name === 'XlsxError' ? new XlsxError(err.message) : err;
  }
}
