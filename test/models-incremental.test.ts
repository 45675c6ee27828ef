// Incremental refresh: a corrected re-send of one city's month, replaced in the raw layer the way
// ingest does it, then runModels with that slice. The result must equal a full refresh from scratch
// in every table, and only that city's and the province's figures of that month (and, for a
// subscriber slice, the next) may move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { loadCatalog } from '../warehouse/models-catalog.ts';
import { periodsToRebuild, runModels } from '../warehouse/models.ts';
import { CITIES, MONTHS, channels, complaints, revenue, subscribers } from './fixtures/three-cities.ts';
import { insertRaw, openTempWarehouse, resendSlice, type RawRow, type TempWarehouse } from './helpers/raw-fixture.ts';

type Snapshot = Map<string, Map<string, string>>;

const tables = loadCatalog()
  .models.filter((m) => m.materialized === 'table')
  .map((m) => m.name);

/** Every row of every model table, keyed by its grain, as JSON text (exact: decimals as text). */
async function snapshot(wh: Warehouse): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of tables) {
    const rows = await wh.all<Record<string, unknown>>(`select * from ${table}`);
    const model = loadCatalog().models.find((m) => m.name === table);
    const grain = model?.tests.unique ?? [];
    const byKey = new Map<string, string>();
    for (const row of rows) {
      const key = grain.map((c) => String(row[c] instanceof Date ? (row[c] as Date).toISOString().slice(0, 7) : row[c])).join('|');
      byKey.set(key, JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    out.set(table, byKey);
  }
  return out;
}

/** The keys of mart_kpis ('YYYY-MM|region') whose row differs between two snapshots, and the columns that moved. */
function changedKpis(before: Snapshot, after: Snapshot): Map<string, string[]> {
  const b = before.get('mart_kpis') ?? new Map<string, string>();
  const a = after.get('mart_kpis') ?? new Map<string, string>();
  const out = new Map<string, string[]>();
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const x = JSON.parse(b.get(key) ?? '{}') as Record<string, unknown>;
    const y = JSON.parse(a.get(key) ?? '{}') as Record<string, unknown>;
    const cols = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((c) => JSON.stringify(x[c]) !== JSON.stringify(y[c]));
    if (cols.length) out.set(key, cols);
  }
  return out;
}

/** Every kind, city and month as one load per kind and month; `replace['kind|city|month']` = [] leaves that slice missing. */
async function loadAll(wh: Warehouse, replace: Partial<Record<string, RawRow[]>> = {}): Promise<void> {
  for (const month of MONTHS) {
    for (const [kind, rows] of [
      ['subscriber', subscribers],
      ['revenue', revenue],
      ['channel', channels],
      ['complaint', complaints],
    ] as const) {
      const all = CITIES.flatMap((c) => replace[`${kind}|${c}|${month}`] ?? rows(c, month));
      await insertRaw(wh, kind, all);
    }
  }
}

/** The re-sent subscriber extract of 330200 for 2026-04: one subscription gone, one ended, one added. */
function correctedSubscribers(): RawRow[] {
  const rows = subscribers('330200', '2026-04').filter((r) => r.subscription_id !== '330200-S1');
  const s2 = rows.find((r) => r.subscription_id === '330200-S2');
  if (s2) s2.terminated_on = '2026-04-15';
  rows.push({ ...(rows[0] as RawRow), subscription_id: '330200-S99', customer_id: '330200-C99', bundle_id: null, activated_on: '2026-04-02' });
  return rows;
}

function correctedRevenue(): RawRow[] {
  return revenue('330300', '2026-06').map((r, i) => (i === 0 ? { ...r, amount: 999.99 } : r));
}

let live: TempWarehouse;
let before: Snapshot;

beforeAll(async () => {
  live = await openTempWarehouse();
  await loadAll(live.wh);
  expect((await runModels(live.wh)).failed).toBe(0);
  before = await snapshot(live.wh);
});

afterAll(() => live.close());

describe('runModels with the slices of a re-send', () => {
  it('rebuilds the month of a subscriber slice and the next one only', () => {
    expect(periodsToRebuild([{ kind: 'subscriber', region_code: '330200', period: '2026-04' }])).toEqual(['2026-04-01', '2026-05-01']);
    expect(periodsToRebuild([{ kind: 'revenue', region_code: '330200', period: '2026-04' }])).toEqual(['2026-04-01']);
  });

  it('moves the city and the province for that month and the next, equal to a full refresh', async () => {
    const slice = await resendSlice(live.wh, 'subscriber', '330200', '2026-04', correctedSubscribers());
    const run = await runModels(live.wh, { slices: [slice] });
    expect(run.mode).toBe('incremental');
    expect(run.periods).toEqual(['2026-04', '2026-05']);
    expect(run.failed).toBe(0);
    const after = await snapshot(live.wh);

    const changed = changedKpis(before, after);
    expect([...changed.keys()].sort()).toEqual(['2026-04|330200', '2026-04|ALL', '2026-05|330200', '2026-05|ALL']);
    for (const key of ['2026-05|330200', '2026-05|ALL']) {
      expect(changed.get(key)).toEqual(expect.arrayContaining(['churn_rate', 'net_adds']));
    }

    const fresh = await openTempWarehouse();
    try {
      await loadAll(fresh.wh, { 'subscriber|330200|2026-04': correctedSubscribers() });
      expect((await runModels(fresh.wh)).failed).toBe(0);
      expect(after).toEqual(await snapshot(fresh.wh));
    } finally {
      fresh.close();
    }
    before = after;
  });

  it('moves only that city-month and the province for a revenue slice', async () => {
    const slice = await resendSlice(live.wh, 'revenue', '330300', '2026-06', correctedRevenue());
    const run = await runModels(live.wh, { slices: [slice] });
    expect(run.periods).toEqual(['2026-06']);
    const after = await snapshot(live.wh);
    const changed = changedKpis(before, after);
    expect([...changed.keys()].sort()).toEqual(['2026-06|330300', '2026-06|ALL']);
    expect(changed.get('2026-06|330300')).toEqual(expect.arrayContaining(['revenue', 'arpu']));
    expect(changed.get('2026-06|330300')).not.toContain('active_subscriptions');

    const fresh = await openTempWarehouse();
    try {
      await loadAll(fresh.wh, { 'subscriber|330200|2026-04': correctedSubscribers(), 'revenue|330300|2026-06': correctedRevenue() });
      expect((await runModels(fresh.wh)).failed).toBe(0);
      expect(after).toEqual(await snapshot(fresh.wh));
    } finally {
      fresh.close();
    }
    before = after;
  });

  it('counts an empty re-send as 0, not missing, in that month only', async () => {
    const slice = await resendSlice(live.wh, 'complaint', '330100', '2026-05', []);
    const run = await runModels(live.wh, { slices: [slice] });
    expect(run.periods).toEqual(['2026-05']);
    expect(run.failed).toBe(0);
    const row = await live.wh.one<{ complaints: bigint; complaints_per_10k: number; sla_met_rate: number | null }>(
      `select complaints, complaints_per_10k, sla_met_rate from mart_kpis where period = '2026-05-01' and region_code = '330100'`,
    );
    expect(row).toEqual({ complaints: 0n, complaints_per_10k: 0, sla_met_rate: null });
    const after = await snapshot(live.wh);
    expect([...changedKpis(before, after).keys()].sort()).toEqual(['2026-05|330100', '2026-05|ALL']);
    before = after;
  });

  it('records each run with its slices, periods and a rising data version', async () => {
    const runs = await live.wh.all<{ run_id: bigint; data_version: bigint; mode: string; periods: string; status: string }>(
      'select run_id, data_version, mode, periods::varchar as periods, status from model_runs order by run_id',
    );
    expect(runs.map((r) => r.mode)).toEqual(['full', 'incremental', 'incremental', 'incremental']);
    expect(runs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(JSON.parse(runs[1]?.periods ?? '[]')).toEqual(['2026-04', '2026-05']);
    const versions = runs.map((r) => Number(r.data_version));
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });
});

describe('runModels when a late extract arrives', () => {
  it('shows its figures null until then, and then as a full refresh would', async () => {
    const late = await openTempWarehouse();
    const fresh = await openTempWarehouse();
    try {
      await loadAll(late.wh, { 'complaint|330300|2026-06': [] });
      expect((await runModels(late.wh)).failed).toBe(0);
      const missing = await late.wh.all<{ region_code: string; complaints: bigint | null; complaints_per_10k: number | null; active: bigint }>(
        `select region_code, complaints, complaints_per_10k, active_subscriptions as active from mart_kpis
         where period = '2026-06-01' order by region_code`,
      );
      const [c1, c2, c3, all] = missing;
      expect(c3).toMatchObject({ region_code: '330300', complaints: null, complaints_per_10k: null });
      // the province's complaints per 10k cover the two cities whose complaints arrived
      expect(all?.region_code).toBe('ALL');
      expect(all?.complaints).toBe((c1?.complaints ?? 0n) + (c2?.complaints ?? 0n));
      expect(all?.complaints_per_10k).toBeCloseTo((Number(all?.complaints) * 10000) / Number((c1?.active ?? 0n) + (c2?.active ?? 0n)), 9);

      await insertRaw(late.wh, 'complaint', complaints('330300', '2026-06'));
      const run = await runModels(late.wh, { slices: [{ kind: 'complaint', region_code: '330300', period: '2026-06' }] });
      expect(run.periods).toEqual(['2026-06']);
      await loadAll(fresh.wh);
      expect((await runModels(fresh.wh)).failed).toBe(0);
      expect(await snapshot(late.wh)).toEqual(await snapshot(fresh.wh));
    } finally {
      late.close();
      fresh.close();
    }
  });
});
