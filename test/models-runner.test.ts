// The runner's contract beyond the figures: dependency order from the SQL, data tests that fail the
// run (and the CLI), a full rebuild when nothing was built yet, the run record.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';
import { loadCatalog, topoSort, type Model } from '../warehouse/models-catalog.ts';
import { runModels } from '../warehouse/models.ts';
import { WORKED_EXAMPLE } from './fixtures/worked-example.ts';
import { insertRaw, openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';

const open: TempWarehouse[] = [];
async function temp(): Promise<TempWarehouse> {
  const t = await openTempWarehouse();
  open.push(t);
  return t;
}
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

function npm(args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('npm', ['run', '--silent', ...args], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, TZ: 'UTC' } });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('loadCatalog', () => {
  it('orders every model after the models its SQL names', () => {
    const { models } = loadCatalog();
    const position = new Map(models.map((m, i) => [m.name, i]));
    for (const m of models) for (const d of m.dependsOn) expect(position.get(d), `${m.name} after ${d}`).toBeLessThan(position.get(m.name) ?? -1);
    expect(models.find((m) => m.name === 'mart_kpis')?.dependsOn).toEqual(
      expect.arrayContaining(['int_kpi_grid', 'mart_kpis_service', 'mart_kpis_channel_type', 'mart_complaints_breakdown']),
    );
  });

  it('refuses a cycle', () => {
    const m = (name: string, dependsOn: string[]): Model => ({ name, dependsOn, layer: 'marts', materialized: 'table', path: '', sql: '', tests: {} });
    expect(() => topoSort([m('a', ['b']), m('b', ['a'])])).toThrow(/cycle/);
  });
});

describe('runModels', () => {
  it('records a run that broke off as an error, rolls its tables back, and the next run still gets a run id of its own', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    const good = await runModels(t.wh);
    const catalog = loadCatalog();
    const broken = { ...catalog, hash: 'broken', models: [...catalog.models, { ...catalog.models.at(-1)!, name: 'mart_broken', sql: "select error('model broke mid-run') as x", dependsOn: [] }] };
    await expect(runModels(t.wh, { catalog: broken })).rejects.toThrow(/model broke mid-run/);
    const after = await runModels(t.wh);
    expect(after.status).toBe('ok');
    const runs = await t.wh.all<{ run_id: bigint; status: string }>('select run_id, status from model_runs order by run_id');
    expect(runs.map((r) => r.status)).toEqual(['ok', 'error', 'ok']);
    expect(new Set(runs.map((r) => r.run_id)).size).toBe(3);
    expect(after.run_id).toBeGreaterThan(good.run_id);
  });

  it('builds mart_kpis with exactly one column per KPI key', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    await runModels(t.wh);
    const cols = (await t.wh.all<{ name: string }>(`select column_name as name from duckdb_columns() where table_name = 'mart_kpis'`)).map((c) => c.name);
    expect(cols).toEqual(['period', 'region_code', ...KPI_KEYS]);
  });

  it('does a full run when given slices but nothing is built yet', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    const run = await runModels(t.wh, { slices: [{ kind: 'subscriber', region_code: '330300', period: '2026-08' }] });
    expect(run.mode).toBe('full');
    const again = await runModels(t.wh, { slices: [{ kind: 'subscriber', region_code: '330300', period: '2026-08' }] });
    expect(again.mode).toBe('incremental');
    expect(again.data_version).toBeGreaterThan(run.data_version);
  });

  it('rebuilds everything when the region list changed (region_t is made from it)', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    await runModels(t.wh);
    await t.wh.run(`insert into regions values ('340100', '合肥市', 'Hefei')`);
    await insertRaw(t.wh, 'subscriber', [{ ...WORKED_EXAMPLE['2026-08'][0], period: '2026-09', region_code: '340100' }]);
    const run = await runModels(t.wh, { slices: [{ kind: 'subscriber', region_code: '340100', period: '2026-09' }] });
    expect(run.mode).toBe('full');
    expect(run.failed).toBe(0);
  });

  it('fails the run when a reconciliation breaks, and records it', async () => {
    const t = await temp();
    // a segment outside the contract: its subscriptions fall out of the per-segment breakdown
    await insertRaw(t.wh, 'subscriber', [...WORKED_EXAMPLE['2026-08'], { ...WORKED_EXAMPLE['2026-08'][0], subscription_id: 'X1', segment: 'vip' }]);
    const run = await runModels(t.wh);
    expect(run.status).toBe('tests_failed');
    const failed = run.tests.filter((x) => x.failures > 0).map((x) => x.name);
    expect(failed).toEqual(expect.arrayContaining(['segments_and_services_sum_to_total', 'accepted_values(stg_subscriber.segment)']));
    const recorded = await t.wh.one<{ status: string; tests_failed: number }>('select status, tests_failed from model_runs order by run_id desc limit 1');
    expect(recorded).toEqual({ status: 'tests_failed', tests_failed: failed.length });
  });

  it('fails the unique test when a key repeats in one load', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', [...WORKED_EXAMPLE['2026-08'], ...WORKED_EXAMPLE['2026-08'].slice(0, 1)]);
    const run = await runModels(t.wh);
    expect(run.tests.filter((x) => x.failures > 0).map((x) => x.name)).toEqual(
      expect.arrayContaining(['unique(stg_subscriber: period, subscription_id)', 'unique(int_subscriptions: period, subscription_id)']),
    );
  });

  it('fails when two loads share a slice, which the slice rule of ingest forbids', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    await insertRaw(t.wh, 'subscriber', [{ ...WORKED_EXAMPLE['2026-08'][0], subscription_id: 'M9' }]);
    const run = await runModels(t.wh);
    expect(run.tests.filter((x) => x.failures > 0).map((x) => x.name)).toEqual(['one_load_per_slice']);
  });
});

describe('npm run models', () => {
  it('exits 0 on clean data and 1 when a data test fails', async () => {
    const t = await temp();
    await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
    t.closeDb();
    const ok = npm(['models', '--', '--db', t.path]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/tests: \d+ passed, 0 failed/);

    const bad = await openTempWarehouse();
    open.push(bad);
    await insertRaw(bad.wh, 'subscriber', [{ ...WORKED_EXAMPLE['2026-08'][0], segment: 'vip' }]);
    bad.closeDb();
    const failed = npm(['models', '--', '--db', bad.path]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/FAILED accepted_values\(stg_subscriber\.segment\)/);
  });
});
