// Loads in the server process: each staged file goes through the write queue, the real ingest reads
// it (JavaScript work on the server's worker threads), then the models refresh the slices it
// touched, the KPI cache moves to the new data version and the boards are told — in that order, so a
// board that refetches on `models` sees the load's figures, and never half of them.
import type { FileResult, IngestOptions } from '../ingest/load.ts';
import { ingestFile } from '../ingest/load.ts';
import type { Kind } from '../domain/contracts.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { errorMessage } from '../warehouse/errors.ts';
import { type ModelRunResult, runModels } from '../warehouse/models.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { EventHub, Slice } from './events.ts';
import type { StagedFile } from './staging.ts';
import type { WriteQueue } from './write-queue.ts';

export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export interface IngestDeps {
  writer: Warehouse;
  queue: WriteQueue;
  events: EventHub;
  stagingDir: string;
  /** Where GBK transcoding and XLSX unpacking run, off the event loop. */
  workers: WorkerPool;
  rejectThreshold: number;
  now: () => Date;
  log: Logger;
  /** Called after each model run with its data version (the KPI cache follows it). */
  onModels: (run: ModelRunResult) => void;
}

export type LoadRequest = Pick<IngestOptions, 'kind' | 'encoding' | 'sheet'>;

/** The CLI's --json fields, in its order. */
export type FileSummary = Omit<FileResult, 'slices'>;

export function summary(r: FileResult): FileSummary {
  return { file: r.file, kind: r.kind, status: r.status, rows_loaded: r.rows_loaded, rows_rejected: r.rows_rejected, load_id: r.load_id, message: r.message };
}

let jobs = 0;

export class IngestService {
  constructor(private readonly d: IngestDeps) {}

  /** Loads the files one after another (each its own queue turn) and cleans up their staging. */
  async ingest(files: StagedFile[], opts: LoadRequest): Promise<FileResult[]> {
    const results: FileResult[] = [];
    try {
      for (const f of files) results.push(await this.d.queue.run(() => this.loadOne(f, opts)));
    } finally {
      for (const f of files) f.cleanup();
    }
    return results;
  }

  private async loadOne(file: StagedFile, opts: LoadRequest): Promise<FileResult> {
    const job = `ingest-${++jobs}`;
    let last = 0;
    const result = await ingestFile(
      this.d.writer,
      file.path,
      { ...opts, displayName: file.name, rejectThreshold: this.d.rejectThreshold, tempDir: this.d.stagingDir, workers: this.d.workers },
      {
        now: this.d.now,
        progress: (p) => {
          // A few updates a second are plenty for a progress bar.
          const t = Date.now();
          if (p.phase === 'reading' && p.done < p.total && t - last < 250) return;
          last = t;
          this.d.events.progress({ job, phase: p.phase, done: p.done, total: p.total });
        },
      },
    );
    this.d.log.info(`ingest: ${result.status} ${file.name}: ${result.message}`);
    this.d.events.load({ load_id: result.load_id, kind: result.kind, status: result.status, file: result.file, slices: result.slices });
    if (result.status === 'loaded' && result.kind && result.slices.length > 0) await this.refresh(result.kind, result.slices);
    return result;
  }

  /** Incremental model run for a load's slices; a failure is logged and reported, the load stands. */
  private async refresh(kind: Kind, slices: Slice[]): Promise<void> {
    try {
      const run = await runModels(this.d.writer, { slices: slices.map((s) => ({ kind, ...s })), now: this.d.now });
      this.d.onModels(run);
    } catch (err) {
      this.d.log.error(`models: incremental run after a ${kind} load failed: ${errorMessage(err)}`);
    }
  }

  /** A full model run through the queue (npm run models against a running server). */
  runAll(): Promise<ModelRunResult> {
    return this.d.queue.run(async () => {
      const run = await runModels(this.d.writer, { now: this.d.now });
      this.d.onModels(run);
      return run;
    });
  }
}
