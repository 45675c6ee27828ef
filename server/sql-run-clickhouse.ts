// POST /api/sql on the ClickHouse engine: the query checked and run by warehouse/clickhouse/console.ts
// (statement check, readonly=2 user, per-query limits), answered in the DuckDB engine's shapes — JSON
// {"columns":[{name,type}],"rows":[[…]],"truncated"} with the same value rules (json-values.ts), or
// Arrow IPC built here (18.16 has no Arrow output), X-Truncated as a header.
import type { Response } from 'express';
import {
  type DataType,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimestampMicrosecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import type { ClickhouseDataPlane } from '../warehouse/clickhouse/data-plane.ts';
import { type ConsoleColumn, runConsoleQuery } from '../warehouse/clickhouse/console.ts';
import { UserError } from '../warehouse/errors.ts';
import { HttpError } from './http-error.ts';
import { bigintJson, decimalJson } from './json-values.ts';
import { ARROW_STREAM, type SqlJob } from './sql-run.ts';

/** Nullable(T) → T; LowCardinality does not exist on 18.16 but is unwrapped alike. */
function baseType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return m ? baseType(m[1]!) : type;
}

export function jsonValue(type: string, v: string | null): unknown {
  if (v === null) return null;
  const t = baseType(type);
  if (/^U?Int(8|16|32)$/.test(t)) return Number(v);
  if (/^U?Int(64|128|256)$/.test(t)) return bigintJson(BigInt(v));
  if (/^Float(32|64)$/.test(t)) return v === 'nan' ? 'NaN' : v === 'inf' || v === '+inf' ? 'Infinity' : v === '-inf' ? '-Infinity' : Number(v);
  if (/^Decimal/.test(t)) return decimalJson(v);
  return v;
}

function arrowType(type: string): DataType {
  const t = baseType(type);
  const ints: Record<string, () => DataType> = {
    Int8: () => new Int8(), Int16: () => new Int16(), Int32: () => new Int32(), Int64: () => new Int64(),
    UInt8: () => new Uint8(), UInt16: () => new Uint16(), UInt32: () => new Uint32(), UInt64: () => new Uint64(),
  };
  if (ints[t]) return ints[t]!();
  if (/^Float(32|64)$/.test(t)) return new Float64();
  const dec = /^Decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return new Decimal(Number(dec[2]), Number(dec[1]), 128);
  if (t === 'Date') return new DateDay();
  if (/^DateTime/.test(t)) return new TimestampMicrosecond();
  return new Utf8();
}

/** A Decimal128 column from the decimals' text: each the scaled integer in four little-endian words. */
function decimalData(type: Decimal, values: (string | null)[]) {
  const words = new Uint32Array(values.length * 4);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) {
      nulls++;
      return;
    }
    valid[i >> 3]! |= 1 << (i & 7);
    const [whole = '0', frac = ''] = v.replace('-', '').split('.');
    let n = BigInt(whole + frac.padEnd(type.scale, '0').slice(0, type.scale));
    if (v.startsWith('-')) n = -n;
    let u = BigInt.asUintN(128, n);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  });
  return makeData({ type, length: values.length, nullCount: nulls, nullBitmap: nulls ? valid : null, data: words });
}

function arrowColumn(col: ConsoleColumn, values: (string | null)[]) {
  const type = arrowType(col.type);
  if (type instanceof Decimal) return decimalData(type, values);
  let js: unknown[];
  if (type instanceof Int64 || type instanceof Uint64) js = values.map((v) => (v === null ? null : BigInt(v)));
  else if (type instanceof Utf8) js = values;
  else if (type instanceof DateDay) js = values.map((v) => (v === null ? null : new Date(`${v}T00:00:00Z`)));
  // Wall time (the column's own zone, Asia/Shanghai in the platform's tables) as the DuckDB engine sends TIMESTAMP.
  else if (type instanceof TimestampMicrosecond) js = values.map((v) => (v === null ? null : Date.parse(`${v.replace(' ', 'T')}Z`) * 1000));
  else if (type instanceof Float64) js = values.map((v) => (v === null ? null : v === 'nan' ? NaN : v === 'inf' || v === '+inf' ? Infinity : v === '-inf' ? -Infinity : Number(v)));
  else js = values.map((v) => (v === null ? null : Number(v)));
  if (type instanceof TimestampMicrosecond) {
    const data = new BigInt64Array(values.length);
    const valid = new Uint8Array(Math.ceil(values.length / 8));
    let nulls = 0;
    js.forEach((x, i) => {
      if (x === null) nulls++;
      else {
        data[i] = BigInt(x as number);
        valid[i >> 3]! |= 1 << (i & 7);
      }
    });
    return makeData({ type, length: values.length, nullCount: nulls, nullBitmap: nulls ? valid : null, data });
  }
  return vectorFromArray(js as never[], type as never).data[0]!;
}

export async function runClickhouseSql(dp: ClickhouseDataPlane, job: SqlJob, res: Response): Promise<{ rows: number; cancelled: boolean }> {
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', onClose);
  try {
    let result;
    try {
      result = await runConsoleQuery(dp, job.sql, { limit: job.limit, timeoutMs: job.timeoutMs, signal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) return { rows: 0, cancelled: true };
      if (err instanceof UserError) throw new HttpError(400, err.message);
      throw err;
    }
    const { columns, rows, truncated } = result;
    if (job.format === 'json') {
      const head = JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type })));
      const body = rows.map((r) => JSON.stringify(r.map((v, i) => jsonValue(columns[i]!.type, v)))).join(',');
      res.status(200).type('application/json').end(`{"columns":${head},"rows":[${body}],"truncated":${truncated}}`);
      return { rows: rows.length, cancelled: false };
    }
    const fields = columns.map((c) => new Field(c.name, arrowType(c.type), true, new Map([['type', c.type]])));
    const schema = new Schema(fields);
    const children = columns.map((c, i) => arrowColumn(c, rows.map((r) => r[i] ?? null)));
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }));
    const bytes = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
    res.status(200).type(ARROW_STREAM).setHeader('X-Truncated', String(truncated));
    res.setHeader('Access-Control-Expose-Headers', 'X-Truncated');
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { rows: rows.length, cancelled: false };
  } finally {
    res.off('close', onClose);
  }
}
