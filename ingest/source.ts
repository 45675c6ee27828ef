// Turns a file into a relation DuckDB can read, for a load and for the server's sandbox alike. A load
// reads columns c0..cN as VARCHAR plus `__line`, the line a spreadsheet shows; the sandbox reads the
// file's own column names. DuckDB parses CSV and Parquet itself (fast); JavaScript only transcodes GBK
// and unpacks XLSX, streaming into a temporary UTF-8 CSV, never holding a file whole.
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/db.ts';
import { quoteIdent, quoteLiteral } from '../warehouse/db.ts';
import type { WorkerPool } from '../workers/pool.ts';
import { type Encoding, type Format, splitHeaderLine } from './detect.ts';
import { type WorkerJob, runJobOn } from './worker-jobs.ts';

export interface SourceOptions {
  format: Format;
  /** Declared encoding; detected when absent. */
  encoding?: Encoding;
  sheet?: string;
  onBytes?: (done: number, total: number) => void;
  /** The name messages show (the path as the user gave it); defaults to the path read. */
  name?: string;
  /** Where temporary UTF-8 CSVs go (a server's staging folder); defaults to the OS temp folder. */
  tempDir?: string;
  /** Transcode and unpack XLSX on these worker threads (a server keeps its event loop free). */
  workers?: WorkerPool;
  /**
   * `positional` (a load, the default): every column VARCHAR, named c0..cN in the file's order, the
   * header apart, to be mapped onto a contract. `named` (the sandbox): the file's own column names,
   * text as VARCHAR in the dialect DuckDB sniffs, Parquet with its own types.
   */
  columns?: 'positional' | 'named';
}

export interface PreparedSource {
  format: Format;
  encoding: Encoding | null;
  /** Null when nothing needed the file read through (named Parquet and XLSX). */
  sha256: string | null;
  bytes: number;
  /** The header's cells, c{i} being header[i]; empty for named columns, which carry their names. */
  header: string[];
  /** A parenthesised SELECT yielding c0..c{n-1} as VARCHAR (and `__line` when hasLine), or the named columns. */
  relation: string;
  /** XLSX carries the sheet row; CSV and Parquet rows are numbered by their order. */
  hasLine: boolean;
  cleanup(): void;
}

export class SourceError extends Error {}

/** One pass over the bytes: SHA-256 (duplicate detection) and whether they are valid UTF-8. */
export async function scanFile(
  file: string,
  onBytes?: (done: number, total: number) => void,
): Promise<{ sha256: string; bytes: number; utf8: boolean }> {
  const total = statSync(file).size;
  const hash = createHash('sha256');
  let utf8 = true;
  let carry = Buffer.alloc(0);
  let done = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    done += chunk.length;
    onBytes?.(done, total);
    if (!utf8) continue;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    // Keep an incomplete multi-byte sequence at the end for the next chunk.
    let cut = buf.length;
    for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
      const b = buf[i]!;
      if ((b & 0xc0) === 0x80) continue; // continuation byte
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (buf.length - i < need) cut = i;
      break;
    }
    if (!isUtf8(buf.subarray(0, cut))) utf8 = false;
    carry = Buffer.from(buf.subarray(cut));
  }
  if (carry.length && !isUtf8(carry)) utf8 = false;
  return { sha256: hash.digest('hex'), bytes: total, utf8 };
}

function readFirstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

function varcharColumns(n: number): string {
  return Array.from({ length: n }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
}

/** DuckDB's reader of a UTF-8 CSV, all text: in the given dialect and columns c0..cN, else as sniffed. */
function readCsv(csv: string, given?: { delimiter: string; columns: number }): string {
  if (!given) return `read_csv(${quoteLiteral(csv)}, all_varchar = true, header = true)`;
  return (
    `read_csv(${quoteLiteral(csv)}, header = true, auto_detect = false, delim = ${quoteLiteral(given.delimiter)}, ` +
    `quote = '"', escape = '"', columns = {${varcharColumns(given.columns)}})`
  );
}

export async function prepareSource(wh: Warehouse, file: string, opts: SourceOptions): Promise<PreparedSource> {
  const shown = opts.name ?? file;
  const named = opts.columns === 'named';
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new SourceError(`${shown} is not a file / 不是文件`);
    size = stat.size;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`cannot read ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)} / 无法读取文件`);
  }
  // A load hashes every file (duplicates); the sandbox reads text through only for its encoding.
  const text = opts.format === 'csv' || opts.format === 'tsv';
  const scan = named && !text ? null : await scanFile(file, opts.onBytes);
  const read = { sha256: scan?.sha256 ?? null, bytes: scan?.bytes ?? size };
  const temps: string[] = [];
  const cleanup = () => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  };
  const tempFile = (name: string) => {
    const dir = mkdtempSync(join(opts.tempDir ?? tmpdir(), 'ingest-'));
    temps.push(dir);
    return join(dir, name);
  };
  // The server runs the JavaScript-heavy steps on its worker threads; a CLI may block its own loop.
  const run = <T>(job: WorkerJob) => runJobOn<T>(opts.workers, job);
  try {
    if (opts.format === 'parquet') {
      const parquet = named
        ? { format: 'parquet' as const, header: [], relation: `(select * from read_parquet(${quoteLiteral(file)}))`, hasLine: false }
        : await parquetSource(wh, file, shown);
      return { ...parquet, encoding: null, ...read, cleanup };
    }
    if (opts.format === 'xlsx') {
      const csv = tempFile('sheet.csv');
      const { header } = await run<{ header: string[] }>({ type: 'xlsx', file, out: csv, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) });
      if (named) {
        // The CSV's header is __line (the sheet row), c0..cN; the sheet's header names the columns.
        const cols = header.map((h, i) => `${quoteIdent(`c${i}`)} as ${quoteIdent(h || `column${i + 1}`)}`);
        return { format: 'xlsx', encoding: null, ...read, header: [], relation: `(select ${cols.join(', ')} from ${readCsv(csv)})`, hasLine: false, cleanup };
      }
      const relation = `(select try_cast(c0 as bigint) as __line, * exclude (c0) from ${readCsv(csv, { delimiter: ',', columns: header.length + 1 })})`;
      // c0 holds the sheet row; shift names so the data columns are c0..cN like the other formats.
      const shifted = `(select __line, ${header.map((_, i) => `c${i + 1} as c${i}`).join(', ')} from ${relation})`;
      return { format: 'xlsx', encoding: null, ...read, header, relation: shifted, hasLine: true, cleanup };
    }
    const encoding: Encoding = opts.encoding ?? (scan!.utf8 ? 'utf8' : 'gb18030');
    let csvPath = file;
    if (encoding === 'gb18030') {
      csvPath = tempFile('utf8.csv');
      await run({ type: 'transcode', src: file, dest: csvPath, encoding: 'gb18030' });
    } else if (!scan!.utf8) {
      throw new SourceError(`${shown} is declared UTF-8 but is not valid UTF-8 (try --encoding gbk) / 文件不是有效的 UTF-8 编码`);
    }
    if (named) return { format: opts.format, encoding, ...read, header: [], relation: `(select * from ${readCsv(csvPath)})`, hasLine: false, cleanup };
    const first = readFirstLine(csvPath).replace(/^\uFEFF/, '');
    const delimiter = opts.format === 'tsv' || (first.includes('\t') && !first.includes(',')) ? '\t' : ',';
    const header = splitHeaderLine(first, delimiter);
    if (header.every((h) => h.trim() === '')) throw new SourceError(`${shown} has no header line / 文件没有表头`);
    const relation = `(select * from ${readCsv(csvPath, { delimiter, columns: header.length })})`;
    return { format: opts.format, encoding, ...read, header, relation, hasLine: false, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

async function parquetSource(wh: Warehouse, file: string, shown: string): Promise<Pick<PreparedSource, 'format' | 'header' | 'relation' | 'hasLine'>> {
  const scan = `read_parquet(${quoteLiteral(file)})`;
  let names: string[];
  try {
    names = (await wh.all<{ column_name: string }>(`describe select * from ${scan}`)).map((r) => r.column_name);
  } catch (err) {
    throw new SourceError(`cannot read ${shown} as Parquet: ${(err as Error).message.split('\n')[0]} / 无法读取 Parquet 文件`);
  }
  const cols = names.map((n, i) => `cast(${quoteIdent(n)} as varchar) as c${i}`).join(', ');
  return { format: 'parquet', header: names, relation: `(select ${cols} from ${scan})`, hasLine: false };
}
