// Runs one checked ad-hoc query and streams its result as Arrow IPC or JSON. The query runs inside a
// READ ONLY transaction under a time limit (interrupted when it runs over, or when the client goes
// away) and a row cap. DuckDB materialises at most cap + 1 rows in its own memory — which tells
// whether the result was truncated before the first byte is sent (X-Truncated is a header) — then
// the chunks are encoded one by one as the socket drains: a 1M-row result never becomes one
// JavaScript array.
import type { Response } from 'express';
import { type DuckDBConnection, type DuckDBDecimalType, type DuckDBMaterializedResult, DuckDBTypeId } from '@duckdb/node-api';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { quoteIdent } from '../warehouse/db.ts';
import { HttpError } from './http-error.ts';
import { describeDuckDbError } from '../warehouse/errors.ts';
import { ArrowBatcher, type ColumnKind, type ColumnSpec } from './arrow.ts';
import { chunkJsonRows } from './json-values.ts';
import { type Visible, checkSql, narrowInformationSchema, visibleTables } from './sql-guard.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

export interface SqlJob {
  sql: string;
  limit: number;
  format: 'arrow' | 'json';
  timeoutMs: number;
  /** The sandbox schemas the caller may read (server/sandbox.ts readableSandboxes); the shared one only when absent. */
  sandboxes?: readonly string[];
}

/**
 * How the result's columns are cast in the wrapper: `arrow` and `json` as /api/sql sends them (`json`
 * also for the CSV and XLSX exports); `native` the user's own types (Parquet).
 */
export type OutputFormat = SqlJob['format'] | 'native';

const NATIVE: Partial<Record<DuckDBTypeId, ColumnKind>> = {
  [DuckDBTypeId.BOOLEAN]: 'BOOLEAN',
  [DuckDBTypeId.TINYINT]: 'TINYINT',
  [DuckDBTypeId.SMALLINT]: 'SMALLINT',
  [DuckDBTypeId.INTEGER]: 'INTEGER',
  [DuckDBTypeId.BIGINT]: 'BIGINT',
  [DuckDBTypeId.UTINYINT]: 'UTINYINT',
  [DuckDBTypeId.USMALLINT]: 'USMALLINT',
  [DuckDBTypeId.UINTEGER]: 'UINTEGER',
  [DuckDBTypeId.UBIGINT]: 'UBIGINT',
  [DuckDBTypeId.FLOAT]: 'FLOAT',
  [DuckDBTypeId.DOUBLE]: 'DOUBLE',
  [DuckDBTypeId.VARCHAR]: 'VARCHAR',
};
const TIMESTAMPS = new Set([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS, DuckDBTypeId.TIMESTAMP_TZ]);

export interface OutputColumn {
  spec: ColumnSpec;
  /** The select-list expression over the positional alias c{i}. */
  expr: string;
  /** The type the client is told about (DuckDB's name for the user's column). */
  type: string;
}

/**
 * What each column becomes. Dates and timestamps are cast in SQL: for JSON to their text (DuckDB's
 * strftime, in parallel), for Arrow to DATE / TIMESTAMP (TIMESTAMPTZ as Asia/Shanghai wall time);
 * HUGEINT to DECIMAL(38,0); anything without a plain Arrow form (lists, structs, intervals, …) to text.
 */
function outputColumn(name: string, typeId: DuckDBTypeId, type: { toString(): string }, index: number, format: OutputFormat): OutputColumn {
  const c = `c${index}`;
  const text = (expr: string): OutputColumn => ({ spec: { name, kind: 'VARCHAR', type: String(type) }, expr, type: String(type) });
  if (format === 'native') return { spec: { name, kind: 'VARCHAR', type: String(type) }, expr: c, type: String(type) };
  const asText = format === 'json';
  if (typeId === DuckDBTypeId.DATE) {
    return asText ? text(`strftime(${c}, '%Y-%m-%d')`) : { spec: { name, kind: 'DATE', type: 'DATE' }, expr: c, type: 'DATE' };
  }
  if (TIMESTAMPS.has(typeId)) {
    const ts = typeId === DuckDBTypeId.TIMESTAMP ? c : `cast(${c} as timestamp)`;
    return asText ? text(`strftime(${ts}, '%Y-%m-%d %H:%M:%S')`) : { spec: { name, kind: 'TIMESTAMP', type: String(type) }, expr: ts, type: String(type) };
  }
  if (typeId === DuckDBTypeId.DECIMAL) {
    const d = type as DuckDBDecimalType;
    return { spec: { name, kind: 'DECIMAL', precision: d.width, scale: d.scale, type: String(type) }, expr: c, type: String(type) };
  }
  if (typeId === DuckDBTypeId.HUGEINT || typeId === DuckDBTypeId.UHUGEINT) {
    return { spec: { name, kind: 'DECIMAL', precision: 38, scale: 0, type: String(type) }, expr: `cast(${c} as decimal(38, 0))`, type: String(type) };
  }
  const kind = NATIVE[typeId];
  if (kind) return { spec: { name, kind, type: String(type) }, expr: c, type: String(type) };
  return text(`cast(${c} as varchar)`);
}

/** Trailing semicolons would end the statement inside the wrapper; the guard re-checks the result. */
function stripTail(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

export interface PlannedQuery {
  columns: OutputColumn[];
  /** The checked, wrapped and narrowed text to run. */
  sql: string;
}

/**
 * The user's query checked by the guard, wrapped (casts for the format, `limit` rows at most) and the
 * wrapper checked again, information_schema narrowed. Runs nothing but the guard's parse and a
 * prepare (inside the caller's READ ONLY transaction); throws HttpError(400) with the reason.
 */
export async function planQuery(conn: DuckDBConnection, userSql: string, format: OutputFormat, limit: number | null, visible?: Visible): Promise<PlannedQuery> {
  const seen = visible ?? (await visibleTables(conn));
  await checkSql(conn, userSql, seen);
  const body = stripTail(userSql);
  const prepared = await conn.prepare(body);
  const columns: OutputColumn[] = [];
  try {
    for (let i = 0; i < prepared.columnCount; i++) {
      columns.push(outputColumn(prepared.columnName(i), prepared.columnTypeId(i), prepared.columnType(i), i, format));
    }
  } finally {
    prepared.destroySync();
  }
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const select = columns.map((c) => `${c.expr} as ${quoteIdent(c.spec.name)}`).join(', ');
  // The user's text sits alone between newlines, so a trailing comment cannot swallow the wrapper.
  const wrapped = `select ${select} from (\n${body}\n) as q(${aliases})${limit === null ? '' : ` limit ${limit}`}`;
  const catalogViews = await checkSql(conn, wrapped, seen);
  return { columns, sql: narrowInformationSchema(wrapped, catalogViews, seen) };
}

export class SqlRunner {
  constructor(readonly conn: DuckDBConnection) {}

  /** Checks, runs and streams; throws HttpError before the first byte, ends the response after. Returns the rows sent. */
  async run(job: SqlJob, res: Response): Promise<{ rows: number; truncated: boolean; cancelled: boolean }> {
    const conn = this.conn;
    let gone = false;
    const onClose = () => {
      if (!res.writableFinished) {
        gone = true;
        conn.interrupt();
      }
    };
    res.on('close', onClose);
    // Gone before this handler got a connection (it waited in the pool): 'close' was already emitted.
    if (clientGone(res)) gone = true;
    try {
      if (gone) return { rows: 0, truncated: false, cancelled: true };
      const visible = await visibleTables(conn, job.sandboxes);
      const { result, columns } = await this.execute(job, visible, () => gone);
      if (gone) return { rows: 0, truncated: false, cancelled: true };
      const truncated = result.rowCount > job.limit;
      const rows = Math.min(result.rowCount, job.limit);
      if (job.format === 'arrow') await this.sendArrow(result, columns, rows, truncated, res, () => gone);
      else await this.sendJson(result, columns, rows, truncated, res, () => gone);
      return { rows, truncated, cancelled: gone };
    } finally {
      res.off('close', onClose);
    }
  }

  private async execute(job: SqlJob, visible: Visible, isGone: () => boolean) {
    const conn = this.conn;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, job.timeoutMs);
    await conn.run('BEGIN TRANSACTION READ ONLY');
    try {
      const { columns, sql } = await planQuery(conn, job.sql, job.format, job.limit + 1, visible);
      const result = await conn.run(sql);
      return { result, columns };
    } catch (err) {
      if (timedOut) throw new HttpError(400, `the query ran longer than the ${job.timeoutMs / 1000} s limit and was stopped`);
      if (isGone()) throw new HttpError(400, 'the query was cancelled');
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, describeDuckDbError(err));
    } finally {
      clearTimeout(timer);
      await conn.run('ROLLBACK').catch(() => undefined);
    }
  }

  private async sendJson(result: DuckDBMaterializedResult, columns: OutputColumn[], rows: number, truncated: boolean, res: Response, isGone: () => boolean) {
    res.status(200).type('application/json');
    const head = JSON.stringify(columns.map((c) => ({ name: c.spec.name, type: c.type })));
    let sent = 0;
    let first = true;
    await write(res, `{"columns":${head},"rows":[`);
    for (let i = 0; i < result.chunkCount && sent < rows && !isGone(); i++) {
      const chunk = result.getChunk(i);
      const n = Math.min(chunk.rowCount, rows - sent);
      if (n === 0) continue;
      const text = chunkJsonRows(chunk, columns.map((c) => c.spec), n);
      await write(res, first ? text : ',' + text);
      first = false;
      sent += n;
    }
    if (!isGone()) res.end(`],"truncated":${truncated}}`);
  }

  private async sendArrow(result: DuckDBMaterializedResult, columns: OutputColumn[], rows: number, truncated: boolean, res: Response, isGone: () => boolean) {
    res.status(200).type(ARROW_STREAM).setHeader('X-Truncated', String(truncated));
    res.setHeader('Access-Control-Expose-Headers', 'X-Truncated');
    // A small first batch (4,096 rows), then doubling: the page shows rows while the rest is encoded and sent.
    const batcher = new ArrowBatcher(columns.map((c) => c.spec), 65_536, 4_096);
    // Object mode on the writable side: one RecordBatch at a time, so backpressure reaches DuckDB's chunks.
    const writer = RecordBatchStreamWriter.throughNode({ autoDestroy: true, writableHighWaterMark: 1 } as Parameters<typeof RecordBatchStreamWriter.throughNode>[0]);
    writer.pipe(res);
    const push = async () => {
      if (!writer.write(batcher.take())) await drained(res, writer);
    };
    let sent = 0;
    for (let i = 0; i < result.chunkCount && sent < rows && !isGone(); i++) {
      const chunk = result.getChunk(i);
      let n = Math.min(chunk.rowCount, rows - sent);
      if (n === 0) continue;
      // A chunk (≤ 2048 rows) that would overflow the batch closes it first; batches hold whole chunks.
      if (batcher.length + n > batcher.capacity) await push();
      n = Math.min(n, batcher.capacity);
      batcher.append(chunk, n);
      sent += n;
      if (batcher.full) await push();
    }
    if (isGone()) {
      writer.destroy();
      return;
    }
    // An empty result still carries its schema.
    if (batcher.length > 0 || sent === 0) writer.write(batcher.take());
    writer.end();
    await firstOf(res, ['finish', 'close']);
  }
}

/** The client closed the connection (before or after the answer began). */
export function clientGone(res: Response): boolean {
  return !res.writableFinished && (res.destroyed || res.closed || !res.socket || res.socket.destroyed);
}

/** Resolves on the first of the events, removing its listeners (a race of once() would leave them). */
function firstOf(emitter: NodeJS.EventEmitter, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of events) emitter.off(e, done);
      resolve();
    };
    for (const e of events) emitter.on(e, done);
  });
}

/** Until `stream` (the response itself unless given) drains, or the response closes (the client went away). */
export async function drained(res: Response, stream: NodeJS.EventEmitter = res): Promise<void> {
  if (res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      res.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    res.on('close', done);
  });
}

async function write(res: Response, text: string): Promise<void> {
  if (!res.write(text)) await drained(res);
}
