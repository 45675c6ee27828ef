// ArrowBatcher against DuckDB's own values: strings short (inline) and long (pointed to), nulls at
// every bit position, decimals of each storage width, batches that end mid-chunk.
import { DuckDBInstance, DuckDBTypeId, type DuckDBDecimalType } from '@duckdb/node-api';
import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ArrowBatcher, type ColumnKind, type ColumnSpec } from './arrow.ts';
import { decimalText } from './json-values.ts';
import { scaledDecimal } from '../test/helpers/arrow.ts';

async function roundTrip(sql: string, batchRows: number) {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const result = await conn.run(sql);
  const specs: ColumnSpec[] = result.columnNames().map((name, i) => {
    const type = result.columnType(i);
    const kind = DuckDBTypeId[result.columnTypeId(i)] as ColumnKind;
    return kind === 'DECIMAL' ? { name, kind, precision: (type as DuckDBDecimalType).width, scale: (type as DuckDBDecimalType).scale } : { name, kind };
  });
  const batcher = new ArrowBatcher(specs, batchRows);
  const batches = [];
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    let done = 0;
    // The runner closes a batch before a chunk that would overflow it; here chunks are split to test offsets.
    while (done < chunk.rowCount) {
      const n = Math.min(chunk.rowCount - done, batcher.batchRows - batcher.length);
      if (done === 0 && n < chunk.rowCount) {
        batches.push(batcher.take());
        continue;
      }
      batcher.append(chunk, n);
      done += n;
      if (batcher.full) batches.push(batcher.take());
    }
  }
  if (batcher.length) batches.push(batcher.take());
  const bytes = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
  return { table: tableFromIPC(bytes) };
}

const SQL = `select i::bigint as id,
    case when i % 5 = 0 then null when i % 3 = 0 then repeat('长', (i % 40)::int) else 'S' || i end as s,
    case when i % 7 = 0 then null else (date '2026-01-01' + (i % 400)::int) end as d,
    timestamp '2026-01-01 00:00:00' + to_seconds(i) as ts,
    ((i % 79) + 0.25)::decimal(4, 2) as d16, (i * -3.5)::decimal(9, 1) as d32, (i * 1234.56)::decimal(18, 2) as d64,
    (i * 123456789012345.678)::decimal(38, 3) as d128, i % 2 = 0 as flag, i::double / 3 as x
  from range(5000) t(i)`;

/** Arrow's value of a cell (apache-arrow gives dates and timestamps in epoch ms) as DuckDB's ::varchar text. */
function text(value: unknown, type: string, scale: number): string | null {
  if (value === null) return null;
  if (type === 'd') return new Date(value as number).toISOString().slice(0, 10);
  if (type === 'ts') return new Date(value as number).toISOString().slice(0, 19).replace('T', ' ');
  if (type === 'dec') return decimalText(scaledDecimal(value as Uint32Array), scale);
  return String(value);
}

describe('ArrowBatcher', () => {
  it('copies strings, nulls, integers, dates, timestamps and decimals exactly', async () => {
    const { table } = await roundTrip(SQL, 3000);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const cols = ['id', 's', 'd', 'ts', 'd16', 'd32', 'd64', 'd128', 'flag', 'x'];
    const expected = (await conn.runAndReadAll(`select ${cols.map((c) => `${c}::varchar`).join(', ')} from (${SQL})`)).getRowsJS() as (string | null)[][];
    const kinds = ['n', 's', 'd', 'ts', 'dec', 'dec', 'dec', 'dec', 'b', 'n'];
    const scales = [0, 0, 0, 0, 2, 1, 2, 3, 0, 0];
    expect(table.numRows).toBe(5000);
    for (let row = 0; row < 5000; row++) {
      const got = cols.map((c, i) => text(table.getChild(c)!.get(row), kinds[i]!, scales[i]!));
      expect(got.slice(0, 8), `row ${row}`).toEqual(expected[row]!.slice(0, 8));
      expect(got[8], `row ${row}`).toBe(expected[row]![8]);
      expect(Number(got[9])).toBeCloseTo(Number(expected[row]![9]), 10);
    }
    expect(table.getChild('s')!.nullCount).toBe(1000);
  });
});
