// The SQL console's state: the text, the running query (cancellable), its result, the whole-result
// exports, the saved queries and the history.
// A query is asked for as Arrow (Accept: application/vnd.apache.arrow.stream) and read as a stream of
// record batches: the grid shows the first rows as soon as the first batch has arrived and grows as the
// rest come; it reads the Arrow columns themselves (sql-result.ts). `?format=json` in the address asks
// for the JSON answer instead (kept for comparison: bench/console.ts).
// The history is the server's (GET /api/queries/history), so it follows the analyst to another machine;
// this browser keeps a copy of its own runs and shows that when the server cannot be reached.
import { RecordBatchReader } from 'apache-arrow';
import { ApiError, getJson, postJson, request } from './api.ts';
import { addHistory, readHistory } from './history.ts';
import { ArrowResult, RowsResult, type SqlResultView } from './sql-result.ts';
import type { SqlColumn } from './types.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

const DEFAULT_SQL = `select region_code, period, active_subscriptions, convergence_rate, arpu
from mart_kpis
where region_code <> 'ALL'
order by period desc, region_code
limit 100`;

export interface ServerHistoryEntry {
  id?: number;
  sql: string;
  /** Server entries: 'YYYY-MM-DD HH:MM:SS' Shanghai time; this browser's copies: an ISO instant. */
  at: string;
  kind?: 'run' | 'export';
  format?: string | null;
  rows: number | null;
  ms: number | null;
  error?: string | null;
}

export interface SavedQuery {
  id: number;
  name: string;
  sql: string;
  owner: string;
  shared: boolean;
  created_at: string;
}

export type ExportFormat = 'csv' | 'xlsx' | 'parquet';

export interface ExportState {
  format: ExportFormat;
  /** Bytes received so far. */
  bytes: number;
  /** Total when the server says (Parquet), else null. */
  total: number | null;
}

/** A saved file's name from Content-Disposition (the server's, ASCII), else a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m?.[1] ?? fallback;
}

export class SqlConsole {
  text = $state('');
  running = $state(false);
  result = $state.raw<SqlResultView | null>(null);
  error = $state<string | null>(null);
  history = $state<ServerHistoryEntry[]>([]);
  /** The history shown is this browser's copy: the server could not be reached. */
  historyOffline = $state(false);
  saved = $state<SavedQuery[]>([]);
  exporting = $state<ExportState | null>(null);
  exportError = $state<string | null>(null);

  private controller: AbortController | null = null;
  private exportController: AbortController | null = null;

  constructor(
    readonly user: string,
    readonly format: 'arrow' | 'json' = 'arrow',
  ) {
    this.history = readHistory(user);
    this.text = this.history[0]?.sql ?? DEFAULT_SQL;
  }

  /** The server's history and saved queries; the local copy stays when the server cannot answer. */
  async refresh(): Promise<void> {
    await Promise.all([this.loadHistory(), this.loadSaved()]);
  }

  async loadHistory(): Promise<void> {
    try {
      const body = await getJson<{ history: ServerHistoryEntry[] }>('/api/queries/history');
      this.history = body.history;
      this.historyOffline = false;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      this.history = readHistory(this.user);
      this.historyOffline = true;
    }
  }

  async loadSaved(): Promise<void> {
    try {
      this.saved = (await getJson<{ queries: SavedQuery[] }>('/api/queries')).queries;
    } catch {
      // offline: the list stays as it was
    }
  }

  async save(name: string, sql: string, shared: boolean): Promise<void> {
    await postJson('/api/queries', { name, sql, shared });
    await this.loadSaved();
  }

  async remove(id: number): Promise<void> {
    await request(`/api/queries/${id}`, { method: 'DELETE' });
    this.saved = this.saved.filter((q) => q.id !== id);
  }

  async run(sql = this.text): Promise<void> {
    if (!sql.trim() || this.running) return;
    this.controller = new AbortController();
    this.running = true;
    this.error = null;
    performance.mark('tca:sql-start');
    const started = performance.now();
    try {
      if (this.format === 'json') {
        const body = await postJson<{ columns: SqlColumn[]; rows: unknown[][]; truncated: boolean }>('/api/sql', { sql }, { signal: this.controller.signal });
        this.result = new RowsResult(body.columns, body.rows, body.truncated, sql, Math.round(performance.now() - started));
      } else {
        await this.runArrow(sql, started, this.controller.signal);
      }
      performance.mark('tca:sql-done');
      addHistory(this.user, { sql, at: new Date().toISOString(), rows: this.result?.rowCount ?? 0, ms: this.result?.ms ?? null });
    } catch (err) {
      const aborted = err instanceof DOMException && err.name === 'AbortError';
      this.error = aborted ? null : err instanceof ApiError || err instanceof Error ? err.message : String(err);
      if (!aborted) addHistory(this.user, { sql, at: new Date().toISOString(), rows: null, ms: null, error: this.error ?? '' });
    } finally {
      this.running = false;
      this.controller = null;
    }
    await this.loadHistory();
  }

  /** Reads the Arrow stream batch by batch; the grid has rows after the first. */
  private async runArrow(sql: string, started: number, signal: AbortSignal): Promise<void> {
    const res = await request('/api/sql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ARROW_STREAM },
      body: JSON.stringify({ sql }),
      signal,
    });
    const truncated = res.headers.get('x-truncated') === 'true';
    const reader = await RecordBatchReader.from(res.body!);
    let result: ArrowResult | null = null;
    for await (const batch of reader) {
      if (!result) {
        result = new ArrowResult(batch.schema, [batch], truncated, sql, false, null, Math.round(performance.now() - started));
        performance.mark('tca:sql-first');
      } else {
        result = result.with(batch, null);
      }
      this.result = result;
    }
    // An empty result is a schema without batches.
    result ??= new ArrowResult(reader.schema, [], truncated, sql);
    this.result = result.done(Math.round(performance.now() - started));
  }

  /** Aborts the request; the server stops the query when its client goes away. */
  cancel(): void {
    this.controller?.abort();
  }

  /**
   * The whole result of `sql` as a file from the server, with the bytes received so far in
   * `exporting`; saved through `save(blob, name)`. Resolves when saved, cancelled or failed.
   */
  async exportResult(sql: string, format: ExportFormat, saveFile: (blob: Blob, name: string) => void): Promise<void> {
    if (this.exporting || !sql.trim()) return;
    this.exportController = new AbortController();
    this.exportError = null;
    this.exporting = { format, bytes: 0, total: null };
    try {
      const res = await request('/api/sql/export', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql, format }),
        signal: this.exportController.signal,
      });
      const length = Number(res.headers.get('content-length'));
      const parts: Uint8Array[] = [];
      let bytes = 0;
      const reader = res.body!.getReader();
      this.exporting = { format, bytes, total: Number.isFinite(length) && length > 0 ? length : null };
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        this.exporting = { ...this.exporting, bytes };
      }
      const type = res.headers.get('content-type') ?? 'application/octet-stream';
      saveFile(new Blob(parts as BlobPart[], { type }), fileNameOf(res.headers.get('content-disposition'), `query.${format}`));
    } catch (err) {
      const aborted = err instanceof DOMException && err.name === 'AbortError';
      if (!aborted) this.exportError = err instanceof ApiError ? err.message : 'interrupted';
    } finally {
      this.exporting = null;
      this.exportController = null;
    }
    await this.loadHistory();
  }

  cancelExport(): void {
    this.exportController?.abort();
  }
}
