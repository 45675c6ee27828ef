// What the SQL console's grid and chart read: a result by rows and columns, without row objects.
// ArrowResult reads the server's Arrow record batches column by column as they stream in; each cell
// is formatted only when it is shown, and exactly as the JSON answer writes it: DECIMAL as its decimal
// text (scaled integers read as signed words — apache-arrow's own Decimal64 toString() reads them
// unsigned), BIGINT beyond 2^53 from its 64-bit word, DATE YYYY-MM-DD, TIMESTAMP YYYY-MM-DD HH:MM:SS
// (the server sends Asia/Shanghai wall time). RowsResult wraps a JSON answer the same way.
import { type Data, DataType, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { decimalText } from '../../domain/decimal.ts';
import type { SqlColumn } from './types.ts';

export interface SqlResultView {
  readonly columns: readonly SqlColumn[];
  readonly rowCount: number;
  /** The text a cell shows; null for SQL NULL. */
  text(row: number, column: number): string | null;
  /** A cell as a chart needs it: numbers as numbers, everything else as its text. */
  value(row: number, column: number): number | string | null;
  readonly truncated: boolean;
  /** All batches have arrived. */
  readonly complete: boolean;
  readonly ms: number | null;
  /** When the first rows could be shown (ms after the request). */
  readonly firstMs: number | null;
  /** The query that produced it (what an export exports). */
  readonly sql: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MS_PER_DAY = 86_400_000;

function dayText(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Microseconds since the epoch of a wall-clock timestamp, as strftime('%Y-%m-%d %H:%M:%S') writes it. */
function microsText(micros: bigint): string {
  const seconds = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const d = new Date(Number(seconds) * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

type Cell = (i: number) => string;

/** How one column of one batch turns into text, built once per (batch, column). */
function formatter(vector: Vector): Cell {
  const data = vector.data[0] as Data;
  const type = vector.type as DataType;
  const offset = data.offset;
  if (DataType.isDecimal(type)) {
    const words = data.values as unknown as Uint32Array;
    const scale = type.scale;
    if (type.bitWidth === 64) {
      const v = new BigInt64Array(words.buffer, words.byteOffset, words.length / 2);
      return (i) => decimalText(v[offset + i]!, scale);
    }
    const lo = new BigUint64Array(words.buffer, words.byteOffset, words.length / 2);
    const hi = new BigInt64Array(words.buffer, words.byteOffset, words.length / 2);
    return (i) => decimalText((hi[(offset + i) * 2 + 1]! << 64n) | lo[(offset + i) * 2]!, scale);
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const v = data.values as unknown as BigInt64Array | BigUint64Array;
    return (i) => v[offset + i]!.toString();
  }
  if (DataType.isDate(type)) {
    const v = data.values as unknown as Int32Array;
    return (i) => dayText(v[offset + i]!);
  }
  if (DataType.isTimestamp(type)) {
    const v = data.values as unknown as BigInt64Array;
    return (i) => microsText(v[offset + i]!);
  }
  if (DataType.isBool(type)) return (i) => (vector.get(i) ? 'true' : 'false');
  return (i) => String(vector.get(i));
}

const NUMERIC = /INT|DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC/i;

function columnsOf(schema: Schema): SqlColumn[] {
  return schema.fields.map((f) => ({ name: f.name, type: f.metadata.get('type') ?? String(f.type) }));
}

export class ArrowResult implements SqlResultView {
  readonly columns: readonly SqlColumn[];
  readonly rowCount: number;
  /** Row index where each batch starts. */
  private readonly starts: number[];
  private readonly cells: (Cell | null)[][];
  private readonly numeric: boolean[];

  constructor(
    readonly schema: Schema,
    readonly batches: readonly RecordBatch[],
    readonly truncated: boolean,
    readonly sql: string,
    readonly complete = false,
    readonly ms: number | null = null,
    readonly firstMs: number | null = null,
  ) {
    this.columns = columnsOf(schema);
    this.numeric = this.columns.map((c) => NUMERIC.test(c.type));
    this.starts = [];
    let n = 0;
    for (const b of batches) {
      this.starts.push(n);
      n += b.numRows;
    }
    this.rowCount = n;
    this.cells = batches.map(() => this.columns.map(() => null));
  }

  /** The same result with one more batch (a new object, so the page's state sees it change). */
  with(batch: RecordBatch, firstMs: number | null): ArrowResult {
    return new ArrowResult(this.schema, [...this.batches, batch], this.truncated, this.sql, false, null, this.firstMs ?? firstMs);
  }

  done(ms: number): ArrowResult {
    return new ArrowResult(this.schema, this.batches, this.truncated, this.sql, true, ms, this.firstMs ?? ms);
  }

  private locate(row: number): [number, number] {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return [lo, row - s[lo]!];
  }

  text(row: number, column: number): string | null {
    const [b, i] = this.locate(row);
    const batch = this.batches[b]!;
    const vector = batch.getChildAt(column)!;
    if (!vector.isValid(i)) return null;
    const cells = this.cells[b]!;
    const f = (cells[column] ??= formatter(vector));
    return f(i);
  }

  value(row: number, column: number): number | string | null {
    const t = this.text(row, column);
    if (t === null) return null;
    return this.numeric[column] ? Number(t) : t;
  }
}

/** A JSON answer ({columns, rows, truncated}) behind the same view. */
export class RowsResult implements SqlResultView {
  readonly complete = true;
  private readonly numeric: boolean[];

  constructor(
    readonly columns: readonly SqlColumn[],
    readonly rows: readonly (readonly unknown[])[],
    readonly truncated: boolean,
    readonly sql: string,
    readonly ms: number | null,
    readonly firstMs: number | null = ms,
  ) {
    this.numeric = columns.map((c) => NUMERIC.test(c.type));
  }

  get rowCount(): number {
    return this.rows.length;
  }

  text(row: number, column: number): string | null {
    const v = this.rows[row]?.[column];
    if (v === null || v === undefined) return null;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  value(row: number, column: number): number | string | null {
    const v = this.rows[row]?.[column];
    if (v === null || v === undefined) return null;
    if (this.numeric[column]) return Number(v);
    return typeof v === 'object' ? JSON.stringify(v) : String(v as string);
  }
}
