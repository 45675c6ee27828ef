// POST /api/sql/export on the ClickHouse engine: the whole result of one console query, streamed from
// the cluster (warehouse/clickhouse/console.ts streamConsoleQuery: the same statement check, readonly=2
// user and per-query limits as /api/sql, the export's row cap as `LIMIT cap+1` and max_result_rows).
// ClickHouse's TSV answer is read a line at a time and written as:
// - CSV: the DuckDB engine's file — UTF-8 with a byte-order mark, a header line, CRLF, RFC 4180 quoting
//   where a field needs it, NULL an empty field, an empty string "" — so both engines' exports read
//   the same (ClickHouse's own CSVWithNames writes NULL as \N, which a spreadsheet shows as text).
// - XLSX: ExcelJS's streaming writer, values as the JSON answer gives them; Excel's row limit and the
//   server's cap said in a note sheet, as on DuckDB (sql-export.ts).
// - Parquet: ClickHouse 18.16 cannot write it: 400 with the reason, before anything runs.
// Over the cap, CSV is cut (an incomplete download, never a file that looks whole).
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import type { ClickhouseDataPlane } from '../warehouse/clickhouse/data-plane.ts';
import { streamConsoleQuery } from '../warehouse/clickhouse/console.ts';
import { UserError } from '../warehouse/errors.ts';
import { HttpError } from './http-error.ts';
import { type ExportJob, type ExportOutcome, XLSX_MAX_DATA_ROWS, contentDisposition } from './sql-export.ts';
import { clientGone, drained } from './sql-run.ts';
import { jsonValue } from './sql-run-clickhouse.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

/** One CSV field as DuckDB's COPY writes it: quoted only when it must be; NULL empty, '' as "". */
export function csvField(v: string | null): string {
  if (v === null) return '';
  if (v === '' || /[",\r\n]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export async function runClickhouseExport(dp: ClickhouseDataPlane, job: ExportJob, res: Response): Promise<ExportOutcome> {
  if (job.format === 'parquet') {
    throw new HttpError(
      400,
      'Parquet export is not available on the ClickHouse engine (ClickHouse 18.16 cannot write Parquet): export CSV or XLSX ' +
        '/ ClickHouse 引擎不支持导出 Parquet（ClickHouse 18.16 无法写出 Parquet），请导出 CSV 或 XLSX',
    );
  }
  const format = job.format;
  const abort = new AbortController();
  let timedOut = false;
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', onClose);
  const outcome: ExportOutcome = { rows: 0, truncated: false, cancelled: false };
  if (clientGone(res)) {
    res.off('close', onClose);
    return { ...outcome, cancelled: true };
  }
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
    if (res.headersSent) res.destroy();
  }, job.timeoutMs);
  const stop = () => abort.signal.aborted;
  try {
    let result;
    try {
      result = await streamConsoleQuery(dp, job.sql, { limit: job.maxRows, timeoutMs: job.timeoutMs, signal: abort.signal });
    } catch (err) {
      if (timedOut) throw new HttpError(400, `the export ran longer than the ${job.timeoutMs / 1000} s limit and was stopped`);
      // the client went away before the first row: cancelled (the query is killed on the cluster), not refused
      if (abort.signal.aborted) return { ...outcome, cancelled: true };
      if (err instanceof UserError) throw new HttpError(400, err.message);
      throw err;
    }
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', contentDisposition(job.fileName, format));
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'csv') {
      res.write(BOM);
      let lines = [result.columns.map((c) => csvField(c.name)).join(',')];
      let over = false;
      const flush = async () => {
        if (!res.write(lines.join('\r\n') + '\r\n')) await drained(res);
        lines = [];
      };
      for await (const row of result.rows) {
        if (stop()) break;
        if (outcome.rows === job.maxRows) {
          over = true;
          break;
        }
        lines.push(row.map(csvField).join(','));
        outcome.rows++;
        if (lines.length >= 4096) await flush();
      }
      if (stop() || over) {
        if (over) outcome.truncated = true;
        // the rows up to the cap reach the client before the cut (a destroy drops what is still buffered)
        if (!stop()) await new Promise<void>((resolve) => res.write(lines.length > 0 ? lines.join('\r\n') + '\r\n' : '', () => resolve()));
        res.destroy();
      } else {
        await flush();
        res.end();
      }
    } else {
      await sendXlsx(result.columns, result.rows, job, res, outcome, stop);
    }
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
  outcome.cancelled = abort.signal.aborted && !timedOut;
  return outcome;
}

const NUMERIC = /^(U?Int|Float|Decimal)/;
const DATE = /^(Date|DateTime)/;

function baseType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return m ? baseType(m[1]!) : type;
}

async function sendXlsx(
  columns: readonly { name: string; type: string }[],
  rows: AsyncIterable<(string | null)[]>,
  job: ExportJob,
  res: Response,
  outcome: ExportOutcome,
  stop: () => boolean,
) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('result', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({ header: c.name, key: `c${i}`, width: Math.min(40, Math.max(10, c.name.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const kinds = columns.map((c) => (NUMERIC.test(baseType(c.type)) ? 'number' : DATE.test(baseType(c.type)) ? 'date' : 'text'));
  const limit = Math.min(job.maxRows, XLSX_MAX_DATA_ROWS);
  let cappedBy: 'excel' | 'server' | null = null;
  for await (const row of rows) {
    if (stop()) return;
    if (outcome.rows === limit) {
      cappedBy = limit === XLSX_MAX_DATA_ROWS && job.maxRows > XLSX_MAX_DATA_ROWS ? 'excel' : 'server';
      break;
    }
    ws.addRow(row.map((v, i) => cell(v, columns[i]!.type, kinds[i]!))).commit();
    outcome.rows++;
    if (res.writableNeedDrain) await drained(res);
  }
  if (stop()) return;
  ws.commit();
  if (cappedBy) {
    outcome.truncated = true;
    const note = wb.addWorksheet('说明 note');
    const n = outcome.rows.toLocaleString('en');
    note.addRow(
      cappedBy === 'excel'
        ? [`结果超过 Excel 的 ${XLSX_MAX_DATA_ROWS.toLocaleString('en')} 行上限，此文件只含前 ${n} 行；完整结果请导出 CSV。`]
        : [`结果超过服务器导出上限（${job.maxRows.toLocaleString('en')} 行），此文件只含前 ${n} 行。`],
    ).commit();
    note.addRow(
      cappedBy === 'excel'
        ? [`The result has more rows than Excel's ${XLSX_MAX_DATA_ROWS.toLocaleString('en')}: this file holds the first ${n}. Export CSV for the whole result.`]
        : [`The result has more rows than the server's export cap (${job.maxRows.toLocaleString('en')}): this file holds the first ${n}.`],
    ).commit();
    note.commit();
  }
  await wb.commit();
}

/** A value of the TSV answer as an Excel cell: numbers as the JSON answer gives them, dates as dates (wall clock). */
function cell(v: string | null, type: string, kind: string): unknown {
  if (v === null) return null;
  if (kind === 'date') {
    const d = new Date(`${v.replace(' ', 'T')}${v.length <= 10 ? 'T00:00:00' : ''}Z`);
    return Number.isNaN(d.getTime()) ? v : d;
  }
  if (kind === 'number') return jsonValue(type, v);
  return v;
}

