// JSON values as architecture.md fixes them: BIGINT and DECIMAL are numbers when exactly
// representable, else strings; DATE 'YYYY-MM-DD'; TIMESTAMP 'YYYY-MM-DD HH:MM:SS'. A bigint never
// reaches JSON.stringify (which would throw).
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { type ColumnSpec, decimalBytes } from './arrow.ts';
import { decimalText } from '../domain/decimal.ts';

export { decimalText };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function bigintJson(v: bigint): number | string {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
}

/**
 * Decimal text as a JSON number when a double holds it exactly as written (≤ 15 significant
 * digits round-trip), else as a JSON string.
 */
export function decimalJson(text: string): number | string {
  const significant = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
  return significant <= 15 ? Number(text) : text;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** DuckDB gives DATE and TIMESTAMP as Dates whose UTC fields hold the wall-clock value. */
export function dateJson(d: Date): string {
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0) return day;
  return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Deep copy of query-layer rows with bigint, Date and DuckDB value objects made JSON-safe. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return bigintJson(value);
  if (value instanceof Date) return dateJson(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null && typeof (value as { toString?: unknown }).toString === 'function') {
      // A DuckDB value class (decimal, interval, …): its text form.
      const text = String(value);
      return /^-?\d+(\.\d+)?$/.test(text) ? decimalJson(text) : text;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function floatJson(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
}

const decoder = new TextDecoder();

/** The JSON text of one column's first `count` values. Dates and timestamps arrive as VARCHAR (formatted by DuckDB). */
function columnJson(vector: duckdb.Vector, spec: ColumnSpec, count: number): string[] {
  const out = new Array<string>(count);
  const mask = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8) as Uint8Array | null;
  const valid = (i: number) => !mask || ((mask[i >> 3]! >> (i & 7)) & 1) === 1;
  const data = (width: number) => {
    const bytes = duckdb.vector_get_data(vector, count * width);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const each = (f: (i: number) => string) => {
    for (let i = 0; i < count; i++) out[i] = valid(i) ? f(i) : 'null';
  };
  switch (spec.kind) {
    case 'VARCHAR': {
      const entries = duckdb.vector_get_data(vector, count * 16);
      const view = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
      each((i) => {
        const len = view.getUint32(i * 16, true);
        const bytes =
          len <= 12
            ? entries.subarray(i * 16 + 4, i * 16 + 4 + len)
            : duckdb.get_data_from_pointer(entries.buffer as ArrayBuffer, entries.byteOffset + i * 16 + 8, len);
        return JSON.stringify(decoder.decode(bytes));
      });
      break;
    }
    case 'BOOLEAN': {
      const v = data(1);
      each((i) => (v.getUint8(i) ? 'true' : 'false'));
      break;
    }
    case 'TINYINT': { const v = data(1); each((i) => String(v.getInt8(i))); break; }
    case 'UTINYINT': { const v = data(1); each((i) => String(v.getUint8(i))); break; }
    case 'SMALLINT': { const v = data(2); each((i) => String(v.getInt16(i * 2, true))); break; }
    case 'USMALLINT': { const v = data(2); each((i) => String(v.getUint16(i * 2, true))); break; }
    case 'INTEGER': { const v = data(4); each((i) => String(v.getInt32(i * 4, true))); break; }
    case 'UINTEGER': { const v = data(4); each((i) => String(v.getUint32(i * 4, true))); break; }
    case 'BIGINT': { const v = data(8); each((i) => JSON.stringify(bigintJson(v.getBigInt64(i * 8, true)))); break; }
    case 'UBIGINT': { const v = data(8); each((i) => JSON.stringify(bigintJson(v.getBigUint64(i * 8, true)))); break; }
    case 'FLOAT': { const v = data(4); each((i) => floatJson(v.getFloat32(i * 4, true))); break; }
    case 'DOUBLE': { const v = data(8); each((i) => floatJson(v.getFloat64(i * 8, true))); break; }
    case 'DECIMAL': {
      const width = decimalBytes(spec.precision ?? 18);
      const v = data(width);
      const scale = spec.scale ?? 0;
      const scaled = (i: number): bigint =>
        width === 2 ? BigInt(v.getInt16(i * 2, true))
        : width === 4 ? BigInt(v.getInt32(i * 4, true))
        : width === 8 ? v.getBigInt64(i * 8, true)
        : (v.getBigInt64(i * 16 + 8, true) << 64n) | v.getBigUint64(i * 16, true);
      each((i) => {
        const text = decimalText(scaled(i), scale);
        // The decimal text is already valid JSON number text, written as DuckDB holds it.
        return typeof decimalJson(text) === 'number' ? text : `"${text}"`;
      });
      break;
    }
  }
  return out;
}

/** The chunk's first `count` rows as JSON arrays joined by commas: `[..],[..]`. */
export function chunkJsonRows(chunk: DuckDBDataChunk, specs: readonly ColumnSpec[], count: number): string {
  const columns = specs.map((s, c) => columnJson(duckdb.data_chunk_get_vector(chunk.chunk, c), s, count));
  const rows = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    let row = '[';
    for (let c = 0; c < columns.length; c++) row += (c ? ',' : '') + columns[c]![i];
    rows[i] = row + ']';
  }
  return rows.join(',');
}
