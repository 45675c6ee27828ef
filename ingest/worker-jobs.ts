// The JavaScript-heavy steps of a load, as jobs a worker thread runs (ingest/off-thread.ts).
import { transcodeToUtf8 } from './transcode.ts';
import { xlsxToCsv } from './xlsx.ts';

export type WorkerJob =
  | { type: 'transcode'; src: string; dest: string; encoding: string }
  | { type: 'xlsx'; file: string; out: string; sheet?: string };

export async function runJob(job: WorkerJob): Promise<unknown> {
  if (job.type === 'transcode') return transcodeToUtf8(job.src, job.dest, job.encoding);
  return xlsxToCsv(job.file, job.out, job.sheet);
}
