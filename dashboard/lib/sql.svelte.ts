// The SQL console's state: the text, the running query (cancellable), its result, the history.
// Results come as JSON, whose value rules (BIGINT/DECIMAL exact or string, DATE as text) the server
// fixes, so the grid, the CSV and the XLSX show exactly what the warehouse holds.
import { ApiError, postJson } from './api.ts';
import { addHistory, readHistory, type HistoryEntry } from './history.ts';
import type { SqlColumn, SqlResult } from './types.ts';

const DEFAULT_SQL = `select region_code, period, active_subscriptions, convergence_rate, arpu
from mart_kpis
where region_code <> 'ALL'
order by period desc, region_code
limit 100`;

export class SqlConsole {
  text = $state('');
  running = $state(false);
  result = $state.raw<SqlResult | null>(null);
  error = $state<string | null>(null);
  history = $state<HistoryEntry[]>([]);

  private controller: AbortController | null = null;

  constructor(readonly user: string) {
    this.history = readHistory(user);
    this.text = this.history[0]?.sql ?? DEFAULT_SQL;
  }

  async run(sql = this.text): Promise<void> {
    if (!sql.trim() || this.running) return;
    this.controller = new AbortController();
    this.running = true;
    this.error = null;
    const started = performance.now();
    try {
      const body = await postJson<{ columns: SqlColumn[]; rows: unknown[][]; truncated: boolean }>('/api/sql', { sql }, { signal: this.controller.signal });
      const ms = Math.round(performance.now() - started);
      this.result = { columns: body.columns, rows: body.rows, truncated: body.truncated, ms };
      this.history = addHistory(this.user, { sql, at: new Date().toISOString(), rows: body.rows.length, ms });
    } catch (err) {
      const aborted = err instanceof DOMException && err.name === 'AbortError';
      this.error = aborted ? null : err instanceof ApiError || err instanceof Error ? err.message : String(err);
      if (!aborted) this.history = addHistory(this.user, { sql, at: new Date().toISOString(), rows: null, ms: null, error: this.error ?? '' });
    } finally {
      this.running = false;
      this.controller = null;
    }
  }

  /** Aborts the request; the server stops the query when its client goes away. */
  cancel(): void {
    this.controller?.abort();
  }
}
