// Tiny hand-written extracts for model and query tests: typed rows inserted straight into the raw
// tables of a real DuckDB file in a temp dir, the way ingest leaves them (one load per call, with its
// slices recorded in load_slices), and a re-send that replaces a (kind, region, period) slice the way
// ingest's slice rule does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { Warehouse, quoteIdent } from '../../warehouse/db.ts';
import { CONTRACTS, type Kind } from '../../domain/contracts.ts';

export type RawRow = Record<string, string | number | boolean | null | undefined>;

export interface TempWarehouse {
  wh: Warehouse;
  path: string;
  /** Closes the database only, e.g. to let a CLI process open the file. */
  closeDb(): void;
  /** Closes the database if still open and removes the temp dir. */
  close(): void;
}

export async function openTempWarehouse(): Promise<TempWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  const path = join(dir, 'w.duckdb');
  const wh = await Warehouse.open({ path, memoryLimit: '512MB', threads: 2 });
  let closed = false;
  const closeDb = () => {
    if (!closed) wh.close();
    closed = true;
  };
  return {
    wh,
    path,
    closeDb,
    close() {
      closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Contract columns of a kind plus the raw layer's `period` (complaints: month of received_at). */
function columnsOf(kind: Kind): string[] {
  const names = CONTRACTS[kind].columns.map((c) => c.name);
  return names.includes('period') ? names : ['period', ...names];
}

/** A month 'YYYY-MM' as the raw layer's DATE; other values as given. */
function rawValue(kind: Kind, column: string, row: RawRow): DuckDBValue {
  if (column === 'period') {
    const p = kind === 'complaint' ? String(row.received_at).slice(0, 7) : String(row.period);
    return /^\d{4}-\d{2}$/.test(p) ? `${p}-01` : p;
  }
  if (column === 'discount' && (row.discount === undefined || row.discount === null)) return '0';
  const v = row[column];
  if (v === undefined) return null;
  // money goes in as text so that DuckDB parses it into DECIMAL exactly
  if ((column === 'amount' || column === 'discount' || column === 'commission') && typeof v === 'number') return v.toFixed(2);
  return v;
}

let nextLoadId = 1000;

export interface SliceRef {
  region_code: string;
  /** 'YYYY-MM' */
  period: string;
}

/** A row's slice: its region and its month (for complaints the month of received_at). */
function sliceOf(kind: Kind, row: RawRow): SliceRef {
  return { region_code: String(row.region_code), period: String(rawValue(kind, 'period', row)).slice(0, 7) };
}

/**
 * Inserts rows of one kind as one load and records it the way ingest does: a `loads` row (status
 * loaded) and one `load_slices` row per slice it covers — the (region, month) pairs of its rows plus
 * `opts.slices` (empty slices: a file of one region and month without rows, or a region of a
 * province complaint file without any) — superseding the current slices of the same kind it covers.
 * The models count a kind for a (region, month) only where it has such a slice. Returns the load_id.
 */
export async function insertRaw(wh: Warehouse, kind: Kind, rows: RawRow[], opts: { slices?: SliceRef[] } = {}): Promise<number> {
  const loadId = nextLoadId++;
  const cols = columnsOf(kind);
  const sql = `insert into ${quoteIdent(`raw_${kind}`)} (load_id, line, ${cols.map(quoteIdent).join(', ')})
    values ($load_id, $line, ${cols.map((c) => `$${c}`).join(', ')})`;
  const slices = new Map<string, SliceRef & { rows: number }>();
  for (const s of opts.slices ?? []) slices.set(`${s.region_code}|${s.period}`, { ...s, rows: 0 });
  for (const [i, row] of rows.entries()) {
    const unknown = Object.keys(row).filter((k) => !cols.includes(k));
    if (unknown.length) throw new Error(`${kind} fixture row has columns outside the contract: ${unknown.join(', ')}`);
    const params: Record<string, DuckDBValue> = { load_id: loadId, line: i + 2 };
    for (const c of cols) params[c] = rawValue(kind, c, row);
    await wh.run(sql, params);
    const slice = sliceOf(kind, row);
    const key = `${slice.region_code}|${slice.period}`;
    slices.set(key, { ...slice, rows: (slices.get(key)?.rows ?? 0) + 1 });
  }
  await wh.run(
    `insert into loads (load_id, file_name, kind, status, rows_total, rows_loaded, rows_rejected, started_at, finished_at)
     values ($id, $file, $kind, 'loaded', $n, $n, 0, now()::timestamp, now()::timestamp)`,
    { id: loadId, file: `${kind}_fixture_${loadId}.csv`, kind, n: rows.length },
  );
  for (const s of slices.values()) {
    const where = { kind, r: s.region_code, p: `${s.period}-01` };
    await wh.run(
      `update load_slices set superseded_by_load = $id
       where kind = $kind and region_code = $r and period = $p::date and superseded_by_load is null`,
      { id: loadId, ...where },
    );
    await wh.run(`insert into load_slices (load_id, kind, region_code, period, rows, superseded_by_load) values ($id, $kind, $r, $p::date, $n, null)`, { id: loadId, ...where, n: s.rows });
  }
  return loadId;
}

/**
 * A corrected re-send of one (kind, region, period) slice, as ingest does it: the earlier rows of
 * that slice go and the new ones (none: an empty slice) come in, in one transaction. Returns the
 * slice for the runner.
 */
export async function resendSlice(
  wh: Warehouse,
  kind: Kind,
  region: string,
  period: string,
  rows: RawRow[],
): Promise<{ kind: Kind; region_code: string; period: string }> {
  await wh.transaction(async () => {
    await wh.run(`delete from ${quoteIdent(`raw_${kind}`)} where region_code = $r and period = $p::date`, {
      r: region,
      p: `${period}-01`,
    });
    await insertRaw(wh, kind, rows, { slices: [{ region_code: region, period }] });
  });
  return { kind, region_code: region, period };
}
