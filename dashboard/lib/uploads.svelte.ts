// Extract uploads from the data page: one request per file (its own progress bar and result), one
// file at a time because the warehouse loads one file at a time anyway.
import { ApiError, api, listOf, uploadExtract } from './api.ts';
import type { IngestFileResult, RejectRow } from './types.ts';

export interface Upload {
  id: number;
  name: string;
  size: number;
  progress: number;
  state: 'queued' | 'uploading' | 'processing' | 'done' | 'error';
  result: IngestFileResult | null;
  error: string | null;
  rejects: RejectRow[] | null;
}

export class Uploads {
  items = $state<Upload[]>([]);
  private queue: { id: number; file: File }[] = [];
  private busy = false;
  private nextId = 1;

  constructor(private readonly onLoaded: () => void) {}

  add(files: FileList | File[]): void {
    for (const file of Array.from(files)) {
      const id = this.nextId++;
      this.items.unshift({ id, name: file.name, size: file.size, progress: 0, state: 'queued', result: null, error: null, rejects: null });
      this.queue.push({ id, file });
    }
    void this.drain();
  }

  private item(id: number): Upload {
    return this.items.find((u) => u.id === id)!;
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.upload(next.id, next.file);
    } finally {
      this.busy = false;
    }
  }

  private async upload(id: number, file: File): Promise<void> {
    const u = this.item(id);
    u.state = 'uploading';
    try {
      const result = await uploadExtract(file, (f) => {
        const item = this.item(id);
        item.progress = f;
        if (f >= 1 && item.state === 'uploading') item.state = 'processing';
      }).done;
      const item = this.item(id);
      item.result = result;
      item.state = 'done';
      item.progress = 1;
      if (result.rows_rejected > 0 && result.load_id !== null) {
        item.rejects = listOf(await api.rejects(result.load_id));
      }
      this.onLoaded();
    } catch (err) {
      const item = this.item(id);
      item.state = 'error';
      item.error = err instanceof ApiError || err instanceof Error ? err.message : String(err);
    }
  }
}
