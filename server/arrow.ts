// Arrow IPC from DuckDB's result chunks. This DuckDB binding has no Arrow export, so the batches are
// built here straight from each chunk's column memory: fixed-width values and validity masks are
// copied byte for byte (DuckDB and Arrow lay them out alike), strings are copied as UTF-8 bytes without
// being decoded, decimals keep their scaled integers (Decimal64 up to 18 digits, else Decimal128). The SQL runner casts every type not listed
// here to VARCHAR first, and TIMESTAMPTZ to TIMESTAMP, so this file only knows plain columns.
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import {
  Bool,
  type DataType,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
} from 'apache-arrow';

/** How a result column is copied: the DuckDB type name after the runner's casts. */
export type ColumnKind =
  | 'BOOLEAN'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'UTINYINT'
  | 'USMALLINT'
  | 'UINTEGER'
  | 'UBIGINT'
  | 'FLOAT'
  | 'DOUBLE'
  | 'DATE'
  | 'TIMESTAMP'
  | 'DECIMAL'
  | 'VARCHAR';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** DECIMAL only. */
  precision?: number;
  scale?: number;
  /** DuckDB's name for the user's column type (e.g. DECIMAL(18,2), TIMESTAMP WITH TIME ZONE): the field's `type` metadata. */
  type?: string;
}

const FIXED: Record<Exclude<ColumnKind, 'BOOLEAN' | 'DECIMAL' | 'VARCHAR'>, { bytes: number; type: () => DataType }> = {
  TINYINT: { bytes: 1, type: () => new Int8() },
  SMALLINT: { bytes: 2, type: () => new Int16() },
  INTEGER: { bytes: 4, type: () => new Int32() },
  BIGINT: { bytes: 8, type: () => new Int64() },
  UTINYINT: { bytes: 1, type: () => new Uint8() },
  USMALLINT: { bytes: 2, type: () => new Uint16() },
  UINTEGER: { bytes: 4, type: () => new Uint32() },
  UBIGINT: { bytes: 8, type: () => new Uint64() },
  FLOAT: { bytes: 4, type: () => new Float32() },
  DOUBLE: { bytes: 8, type: () => new Float64() },
  DATE: { bytes: 4, type: () => new DateDay() },
  TIMESTAMP: { bytes: 8, type: () => new TimestampMicrosecond() },
};

/**
 * Arrow decimal width: 64 bits up to 18 digits (Arrow format 1.5's Decimal64, read by apache-arrow
 * ≥ 18) — half the bytes of Decimal128 for money columns — else 128.
 */
export function decimalBits(precision: number): 64 | 128 {
  return precision <= 18 ? 64 : 128;
}

/** Bytes DuckDB uses per DECIMAL value of a given precision. */
export function decimalBytes(precision: number): number {
  return precision <= 4 ? 2 : precision <= 9 ? 4 : precision <= 18 ? 8 : 16;
}

function arrowType(c: ColumnSpec): DataType {
  if (c.kind === 'BOOLEAN') return new Bool();
  if (c.kind === 'VARCHAR') return new Utf8();
  if (c.kind === 'DECIMAL') return new Decimal(c.scale ?? 0, c.precision ?? 18, decimalBits(c.precision ?? 18));
  return FIXED[c.kind].type();
}

export function arrowSchema(columns: readonly ColumnSpec[]): Schema {
  // Arrow field names need not be unique; the console shows them as DuckDB named them.
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c), true, c.type ? new Map([['type', c.type]]) : null)));
}

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  return n;
});

/** One column of the batch being filled. */
class ColumnBuffer {
  readonly width: number;
  values: Uint8Array;
  offsets: Int32Array | null = null;
  validity: Uint8Array;
  nulls = 0;
  used = 0; // bytes of `values` in use (strings)

  constructor(
    readonly spec: ColumnSpec,
    readonly capacity: number,
  ) {
    this.width =
      spec.kind === 'VARCHAR' ? 0 : spec.kind === 'BOOLEAN' ? 1 : spec.kind === 'DECIMAL' ? decimalBits(spec.precision ?? 18) / 8 : FIXED[spec.kind].bytes;
    this.validity = new Uint8Array(Math.ceil(capacity / 8));
    if (spec.kind === 'VARCHAR') {
      this.offsets = new Int32Array(capacity + 1);
      this.values = new Uint8Array(Math.max(1024, capacity * 16));
    } else if (spec.kind === 'BOOLEAN') {
      this.values = new Uint8Array(Math.ceil(capacity / 8));
    } else {
      this.values = new Uint8Array(capacity * this.width);
    }
  }

  /** Copies rows [0, count) of a DuckDB vector to rows [at, at + count) of this column. */
  append(vector: duckdb.Vector, at: number, count: number): void {
    const words = Math.ceil(count / 64);
    const mask = duckdb.vector_get_validity(vector, words * 8) as Uint8Array | null;
    this.copyValidity(mask, at, count);
    const kind = this.spec.kind;
    if (kind === 'VARCHAR') return this.appendStrings(vector, mask, at, count);
    if (kind === 'BOOLEAN') {
      const src = duckdb.vector_get_data(vector, count);
      for (let i = 0; i < count; i++) if (src[i]) this.values[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      return;
    }
    if (kind === 'DECIMAL') return this.appendDecimals(vector, at, count);
    const src = duckdb.vector_get_data(vector, count * this.width);
    this.values.set(src.subarray(0, count * this.width), at * this.width);
  }

  private copyValidity(mask: Uint8Array | null, at: number, count: number): void {
    const v = this.validity;
    if (!mask) {
      // All valid: set the bits.
      for (let i = at; i < at + count; i++) v[i >> 3]! |= 1 << (i & 7);
      return;
    }
    if ((at & 7) === 0) {
      const bytes = count >> 3;
      v.set(mask.subarray(0, bytes), at >> 3);
      for (let b = 0; b < bytes; b++) this.nulls += 8 - POPCOUNT[mask[b]!]!;
      for (let i = bytes * 8; i < count; i++) {
        if ((mask[i >> 3]! >> (i & 7)) & 1) v[(at + i) >> 3]! |= 1 << ((at + i) & 7);
        else this.nulls++;
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      if ((mask[i >> 3]! >> (i & 7)) & 1) v[(at + i) >> 3]! |= 1 << ((at + i) & 7);
      else this.nulls++;
    }
  }

  private appendStrings(vector: duckdb.Vector, mask: Uint8Array | null, at: number, count: number): void {
    const entries = duckdb.vector_get_data(vector, count * 16);
    const view = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
    const offsets = this.offsets!;
    // Every string of the chunk fits when the buffer has 16 bytes a row spare (inline ones are ≤ 12).
    this.ensure(count * 16);
    let values = this.values;
    let used = this.used;
    for (let i = 0; i < count; i++) {
      offsets[at + i] = used;
      if (mask && !((mask[i >> 3]! >> (i & 7)) & 1)) continue;
      const off = i * 16;
      const len = view.getUint32(off, true);
      if (len <= 12) {
        // Short strings live inside the entry: a byte loop beats a subarray per row.
        for (let k = 0; k < len; k++) values[used + k] = entries[off + 4 + k]!;
      } else {
        // Room for this string and still 16 bytes for each row after it.
        this.used = used;
        this.ensure(len + (count - i - 1) * 16);
        values = this.values;
        values.set(duckdb.get_data_from_pointer(entries.buffer as ArrayBuffer, entries.byteOffset + off + 8, len), used);
      }
      used += len;
    }
    this.used = used;
    offsets[at + count] = used;
  }

  private ensure(extra: number): void {
    if (this.used + extra <= this.values.length) return;
    const grown = new Uint8Array(Math.max(this.values.length * 2, this.used + extra));
    grown.set(this.values.subarray(0, this.used));
    this.values = grown;
  }

  private appendDecimals(vector: duckdb.Vector, at: number, count: number): void {
    const bytes = decimalBytes(this.spec.precision ?? 18);
    const src = duckdb.vector_get_data(vector, count * bytes);
    if (bytes === this.width) {
      // int64 → Decimal64 and DuckDB's HUGEINT (low 64 bits, then high) → Decimal128: same layout.
      this.values.set(src.subarray(0, count * bytes), at * bytes);
      return;
    }
    // int16/int32 storage (≤ 9 digits) widened to Decimal64 with its sign.
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const out = new Int32Array(this.values.buffer, this.values.byteOffset + at * 8, count * 2);
    for (let i = 0; i < count; i++) {
      const lo = bytes === 4 ? view.getInt32(i * 4, true) : view.getInt16(i * 2, true);
      out[i * 2] = lo;
      out[i * 2 + 1] = lo >> 31;
    }
  }

  data(length: number) {
    const type = arrowType(this.spec);
    const nullBitmap = this.nulls > 0 ? this.validity.subarray(0, Math.ceil(length / 8)) : undefined;
    const base = { type, length, nullCount: this.nulls, ...(nullBitmap ? { nullBitmap } : {}) };
    const k = this.spec.kind;
    const bytes = this.values.buffer;
    const o = this.values.byteOffset;
    if (k === 'VARCHAR') return makeData({ ...base, type: type as Utf8, valueOffsets: this.offsets!.subarray(0, length + 1), data: this.values.subarray(0, this.used) });
    if (k === 'BOOLEAN') return makeData({ ...base, type: type as Bool, data: this.values.subarray(0, Math.ceil(length / 8)) });
    if (k === 'DECIMAL') return makeData({ ...base, type: type as Decimal, data: new Uint32Array(bytes, o, (length * this.width) / 4) });
    const typed = {
      TINYINT: () => new Int8Array(bytes, o, length),
      SMALLINT: () => new Int16Array(bytes, o, length),
      INTEGER: () => new Int32Array(bytes, o, length),
      BIGINT: () => new BigInt64Array(bytes, o, length),
      UTINYINT: () => new Uint8Array(bytes, o, length),
      USMALLINT: () => new Uint16Array(bytes, o, length),
      UINTEGER: () => new Uint32Array(bytes, o, length),
      UBIGINT: () => new BigUint64Array(bytes, o, length),
      FLOAT: () => new Float32Array(bytes, o, length),
      DOUBLE: () => new Float64Array(bytes, o, length),
      DATE: () => new Int32Array(bytes, o, length),
      TIMESTAMP: () => new BigInt64Array(bytes, o, length),
    }[k]();
    // Each Arrow type takes its own typed array; makeData's overloads cannot express the union.
    return makeData({ ...base, type: type as Int32, data: typed as Int32Array });
  }
}

/**
 * Fills record batches from DuckDB chunks: the first holds up to `firstRows` rows, each next one twice
 * as many, up to `batchRows` — so a reader has the first rows after a small batch, and big batches after.
 */
export class ArrowBatcher {
  readonly schema: Schema;
  private columns: ColumnBuffer[] = [];
  private rows = 0;
  /** Rows the batch being filled may hold. */
  capacity: number;

  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly batchRows = 65_536,
    firstRows = batchRows,
  ) {
    this.schema = arrowSchema(specs);
    this.capacity = Math.min(firstRows, batchRows);
    this.reset();
  }

  private reset(): void {
    this.columns = this.specs.map((s) => new ColumnBuffer(s, this.capacity));
    this.rows = 0;
  }

  get length(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /** Appends the first `count` rows of the chunk; the caller keeps count ≤ capacity − length. */
  append(chunk: DuckDBDataChunk, count: number): void {
    for (let c = 0; c < this.columns.length; c++) {
      this.columns[c]!.append(duckdb.data_chunk_get_vector(chunk.chunk, c), this.rows, count);
    }
    this.rows += count;
  }

  /** The rows so far as one RecordBatch; starts an empty one. */
  take(): RecordBatch {
    const length = this.rows;
    const children = this.columns.map((c) => c.data(length));
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    const batch = new RecordBatch(this.schema, struct);
    this.capacity = Math.min(this.batchRows, this.capacity * 2);
    this.reset();
    return batch;
  }
}
