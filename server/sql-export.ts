// POST /api/sql/export: the whole result of one console query as a file, streamed. The query goes
// through the same guard and wrapper as /api/sql (planQuery: one checked SELECT, READ ONLY
// transaction, interrupted at the time limit or when the client goes away), with the export's row cap
// instead of the console's.
//
// - CSV: DuckDB's own CSV writer (`COPY … TO`, in its own threads) writes into a named pipe under the
//   staging folder, which this file reads and forwards as the socket drains: streamed from the first
//   rows, at DuckDB's speed, nothing on disk, and a slow client holds DuckDB back through the pipe.
//   Dates and timestamps as the JSON answer writes them, RFC 4180 quoting, NULL an empty field, an
//   empty string "". UTF-8 with a byte-order mark, CRLF.
// - XLSX: ExcelJS's streaming writer, rows as the JSON answer gives them (numbers stay numbers, exact
//   strings where a double cannot hold them, DATE/TIMESTAMP as Excel dates). Excel holds 1,048,575 data
//   rows: the sheet stops there and a second sheet (说明 / note) says so.
// - Parquet: DuckDB's own `COPY (the checked query) TO` a file in a fresh folder under the staging
//   folder (the only one the server's DuckDB may write), then streamed with its length and deleted.
//
// Over the row cap: Parquet is refused (400) before a byte is sent; XLSX stops and says so in its note
// sheet; CSV, whose answer has started, is cut (the client sees an incomplete download, never a file
// that looks whole).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Response } from 'express';
import { type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { quoteLiteral } from '../warehouse/db.ts';
import { describeDuckDbError } from '../warehouse/errors.ts';
import { HttpError } from './http-error.ts';
import { chunkJsonRows } from './json-values.ts';
import { visibleTables } from './sql-guard.ts';
import { type OutputColumn, clientGone, drained, planQuery } from './sql-run.ts';
import { stagingFolder } from './staging.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Excel's last row is 1,048,576; one is the header. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

export interface ExportJob {
  sql: string;
  format: ExportFormat;
  /** The server's cap (EXPORT_MAX_ROWS). */
  maxRows: number;
  /** The whole export, query and transfer (EXPORT_TIMEOUT_S). */
  timeoutMs: number;
  stagingDir: string;
  /** Without extension; made of safe characters only (the route builds it). */
  fileName: string;
  /** The sandbox schemas the caller may read (server/sandbox.ts readableSandboxes); the shared one only when absent. */
  sandboxes?: readonly string[];
}

export interface ExportOutcome {
  /** Data rows written. */
  rows: number;
  /** Stopped at a cap (XLSX's sheet or the server's) and said so in the file; or, for CSV, cut. */
  truncated: boolean;
  /** The client went away before the end. */
  cancelled: boolean;
}

/** `attachment` with an ASCII name (and the same as filename*), so no header injection and no guessing. */
export function contentDisposition(fileName: string, format: ExportFormat): string {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'query';
  return `attachment; filename="${safe}.${format}"; filename*=UTF-8''${safe}.${format}`;
}

const PLAN_FORMAT = { csv: 'json', xlsx: 'json', parquet: 'native' } as const;

export async function runExport(conn: DuckDBConnection, job: ExportJob, res: Response): Promise<ExportOutcome> {
  let gone = false;
  let timedOut = false;
  const onClose = () => {
    if (!res.writableFinished) {
      gone = true;
      conn.interrupt();
    }
  };
  res.on('close', onClose);
  if (clientGone(res)) {
    // Gone while this export waited for a connection: 'close' was already emitted.
    res.off('close', onClose);
    return { rows: 0, truncated: false, cancelled: true };
  }
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
    // Mid-transfer the status is gone: cut, so the download is seen incomplete.
    if (res.headersSent) res.destroy();
  }, job.timeoutMs);
  const outcome: ExportOutcome = { rows: 0, truncated: false, cancelled: false };
  const fail = (err: unknown): never => {
    if (timedOut) throw new HttpError(400, `the export ran longer than the ${job.timeoutMs / 1000} s limit and was stopped`);
    if (gone) throw new HttpError(400, 'the export was cancelled');
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, describeDuckDbError(err));
  };
  await conn.run('BEGIN TRANSACTION READ ONLY');
  try {
    let plan;
    try {
      plan = await planQuery(conn, job.sql, PLAN_FORMAT[job.format], job.maxRows + 1, await visibleTables(conn, job.sandboxes));
    } catch (err) {
      fail(err);
    }
    const head = (extra: Record<string, string> = {}) => {
      res.status(200);
      res.setHeader('Content-Type', CONTENT_TYPES[job.format]);
      res.setHeader('Content-Disposition', contentDisposition(job.fileName, job.format));
      res.setHeader('Cache-Control', 'no-store');
      for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
    };
    if (job.format === 'parquet') await sendParquet(conn, plan!.sql, job, res, head, outcome, fail, () => gone);
    else if (job.format === 'csv') await sendCsv(conn, plan!.sql, job, res, head, outcome, fail, () => gone || timedOut);
    else {
      let result: DuckDBResult;
      let first: DuckDBDataChunk | null;
      try {
        result = await conn.stream(plan!.sql);
        // Errors of the query itself mostly surface with its first chunk: still a clean 400.
        first = await result.fetchChunk();
      } catch (err) {
        fail(err);
      }
      head();
      await sendXlsx(result!, first!, plan!.columns, job, res, outcome, () => gone || timedOut);
    }
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
    await conn.run('ROLLBACK').catch(() => undefined);
  }
  outcome.cancelled = gone;
  return outcome;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function sendCsv(
  conn: DuckDBConnection,
  sql: string,
  job: ExportJob,
  res: Response,
  head: () => void,
  outcome: ExportOutcome,
  fail: (err: unknown) => never,
  stop: () => boolean,
) {
  const folder = stagingFolder(job.stagingDir, 'export');
  const fifo = join(folder.dir, 'result.csv');
  try {
    execFileSync('mkfifo', ['-m', '600', fifo]);
    let copyError: unknown = null;
    let count = 0;
    // The path is the server's own; the query is the checked, wrapped text — no user value is spliced in.
    const copy = conn.runAndReadAll(`COPY (\n${sql}\n) TO ${quoteLiteral(fifo)} (FORMAT csv, HEADER, NEW_LINE '\\r\\n')`).then(
      (reader) => void (count = Number(reader.getRowsJS()[0]?.[0] ?? 0)),
      (err: unknown) => void (copyError = err),
    );
    // The read end non-blocking, as a socket (libuv polls it: no thread per read), plus a write end of
    // our own so the reader sees no end before DuckDB opens the pipe; closed once the COPY is over, so
    // the reader ends when DuckDB's last bytes are read.
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const holdFd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    void copy.then(() => closeSync(holdFd));
    const reader = new Socket({ fd: readFd, readable: true, writable: false });
    try {
      for await (const bytes of reader as AsyncIterable<Buffer>) {
        if (stop()) break;
        if (!res.headersSent) {
          head();
          res.write(BOM);
        }
        await write(res, bytes);
      }
    } finally {
      // Closing the read end makes DuckDB's next write fail (EPIPE), which ends an interrupted COPY.
      reader.destroy();
    }
    await copy;
    if (copyError && !res.headersSent) fail(copyError);
    if (stop() || copyError) {
      res.destroy();
      return;
    }
    if (count > job.maxRows) {
      // More rows than the cap: cut rather than end, so the file is not taken for the whole result.
      outcome.rows = job.maxRows;
      outcome.truncated = true;
      res.destroy();
      return;
    }
    outcome.rows = count;
    res.end();
  } finally {
    folder.remove();
  }
}

const NUMERIC = /INT|DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC/i;

async function sendXlsx(result: DuckDBResult, first: DuckDBDataChunk | null, columns: readonly OutputColumn[], job: ExportJob, res: Response, outcome: ExportOutcome, stop: () => boolean) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('result', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({ header: c.spec.name, key: `c${i}`, width: Math.min(40, Math.max(10, c.spec.name.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const kinds = columns.map((c) => (NUMERIC.test(c.type) ? 'number' : /^(DATE|TIMESTAMP)/i.test(c.type) ? 'date' : 'text'));
  const specs = columns.map((c) => c.spec);
  const limit = Math.min(job.maxRows, XLSX_MAX_DATA_ROWS);
  let chunk = first;
  let cappedBy: 'excel' | 'server' | null = null;
  while (chunk && chunk.rowCount > 0 && !stop()) {
    const room = limit - outcome.rows;
    const n = Math.min(chunk.rowCount, room);
    if (n > 0) {
      const rows = JSON.parse(`[${chunkJsonRows(chunk, specs, n)}]`) as unknown[][];
      for (const row of rows) ws.addRow(row.map((v, i) => xlsxValue(v, kinds[i]!))).commit();
      outcome.rows += n;
    }
    if (chunk.rowCount > room) {
      cappedBy = limit === XLSX_MAX_DATA_ROWS && job.maxRows > XLSX_MAX_DATA_ROWS ? 'excel' : 'server';
      break;
    }
    if (res.writableNeedDrain) await drained(res);
    chunk = await result.fetchChunk();
  }
  if (stop()) return;
  ws.commit();
  if (cappedBy) {
    outcome.truncated = true;
    const note = wb.addWorksheet('说明 note');
    const rows = outcome.rows.toLocaleString('en');
    note.addRow(
      cappedBy === 'excel'
        ? [`结果超过 Excel 的 ${XLSX_MAX_DATA_ROWS.toLocaleString('en')} 行上限，此文件只含前 ${rows} 行；完整结果请导出 CSV 或 Parquet。`]
        : [`结果超过服务器导出上限（${job.maxRows.toLocaleString('en')} 行），此文件只含前 ${rows} 行。`],
    ).commit();
    note.addRow(
      cappedBy === 'excel'
        ? [`The result has more rows than Excel's ${XLSX_MAX_DATA_ROWS.toLocaleString('en')}: this file holds the first ${rows}. Export CSV or Parquet for the whole result.`]
        : [`The result has more rows than the server's export cap (${job.maxRows.toLocaleString('en')}): this file holds the first ${rows}.`],
    ).commit();
    note.commit();
  }
  await wb.commit();
}

/** A JSON answer's value as an Excel cell: exact numbers as numbers, dates as dates (wall clock, no zone). */
function xlsxValue(v: unknown, kind: string): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'date' && typeof v === 'string') {
    const d = new Date(`${v.replace(' ', 'T')}${v.length <= 10 ? 'T00:00:00' : ''}Z`);
    return Number.isNaN(d.getTime()) ? v : d;
  }
  return v;
}

async function sendParquet(
  conn: DuckDBConnection,
  sql: string,
  job: ExportJob,
  res: Response,
  head: (extra?: Record<string, string>) => void,
  outcome: ExportOutcome,
  fail: (err: unknown) => never,
  isGone: () => boolean,
) {
  const folder = stagingFolder(job.stagingDir, 'export');
  let removeLater = false;
  try {
    const file = join(folder.dir, 'result.parquet');
    let count: number;
    try {
      // The path is the server's own; the query is the checked, wrapped text — no user value is spliced in.
      const reader = await conn.runAndReadAll(`COPY (\n${sql}\n) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
      count = Number(reader.getRowsJS()[0]?.[0] ?? 0);
    } catch (err) {
      fail(err);
    }
    if (count! > job.maxRows) {
      throw new HttpError(400, `the result has more than ${job.maxRows.toLocaleString('en')} rows, the server's export cap (EXPORT_MAX_ROWS): narrow the query / 结果超过导出上限 ${job.maxRows.toLocaleString('en')} 行，请缩小查询范围`);
    }
    if (isGone()) return;
    outcome.rows = count!;
    head({ 'Content-Length': String(statSync(file).size) });
    removeLater = true;
    const stream = createReadStream(file);
    await new Promise<void>((resolve) => {
      const done = () => {
        folder.remove();
        resolve();
      };
      stream.once('error', () => {
        res.destroy();
        done();
      });
      res.once('close', done);
      stream.pipe(res);
    });
  } finally {
    if (!removeLater) folder.remove();
  }
}

async function write(res: Response, bytes: Buffer): Promise<void> {
  if (!res.write(bytes)) await drained(res);
}
