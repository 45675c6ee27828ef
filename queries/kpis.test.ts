// The query layer's contract: every key, checked inputs, nulls for a valid period without data,
// the CLI's JSON and exit codes.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../warehouse/models.ts';
import { UserError } from '../warehouse/errors.ts';
import { WORKED_EXAMPLE } from '../test/fixtures/worked-example.ts';
import { insertRaw, openTempWarehouse, type TempWarehouse } from '../test/helpers/raw-fixture.ts';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';
import { getBreakdown, getKpis, getRanking, getSeries } from './kpis.ts';
import { toKpiNumber } from './sql.ts';
import { decimalValue } from '@duckdb/node-api';

let t: TempWarehouse;

beforeAll(async () => {
  t = await openTempWarehouse();
  await insertRaw(t.wh, 'subscriber', [...WORKED_EXAMPLE['2026-08'], ...WORKED_EXAMPLE['2026-09']]);
  await runModels(t.wh);
});

afterAll(() => t.close());

describe('KPI_KEYS', () => {
  it('holds the 89 keys of kpis.md version 2 with the families expanded, once each', () => {
    expect(KPI_KEYS).toHaveLength(89);
    expect(new Set(KPI_KEYS).size).toBe(89);
    expect(KPI_KEYS).toEqual(expect.arrayContaining(['active_subscriptions_fixed_voice', 'customers_4_play', 'arpu_iptv',
      'adds_per_outlet_account_manager', 'gross_adds_service_point', 'complaints_service_attitude', 'vanished_subscriptions',
      'complaints_iptv', 'overdue_open_complaints', 'regulator_complaints_per_million', 'commission_per_add_shared', 'zero_revenue_share']));
  });
});

describe('getKpis', () => {
  it('returns every key, null for a valid period without data', async () => {
    const r = await getKpis(t.wh, { period: '2031-01', region: '330100' });
    expect(r).toEqual({
      period: '2031-01',
      region: '330100',
      kpis: Object.fromEntries(KPI_KEYS.map((k) => [k, null])),
      missing_extracts: { subscriber: ['330100'], channel: ['330100'], complaint: ['330100'], revenue: ['330100'] },
    });
  });

  it('refuses a malformed period, an unknown region or segment with a UserError', async () => {
    await expect(getKpis(t.wh, { period: '2026-13' })).rejects.toThrow(UserError);
    await expect(getKpis(t.wh, { period: '202609' })).rejects.toThrow(/YYYY-MM/);
    await expect(getKpis(t.wh, { period: '2026-09', region: '999999' })).rejects.toThrow(/not in the region list/);
    await expect(getKpis(t.wh, { period: '2026-09', region: "330300' or 1=1" })).rejects.toThrow(/6-digit/);
    await expect(getKpis(t.wh, { period: '2026-09', segment: 'vip' })).rejects.toThrow(/segment/);
  });
});

describe('getSeries', () => {
  it('gives every month of the range, null where there is no figure', async () => {
    const r = await getSeries(t.wh, { key: 'active_customers', region: '330300', from: '2026-07', to: '2026-10' });
    expect(r.points).toEqual([
      { period: '2026-07', value: null },
      { period: '2026-08', value: 3 },
      { period: '2026-09', value: 2 },
      { period: '2026-10', value: null },
    ]);
  });

  it('refuses an unknown key or a reversed range', async () => {
    await expect(getSeries(t.wh, { key: 'period; drop table regions', from: '2026-01', to: '2026-02' })).rejects.toThrow(/unknown KPI key/);
    await expect(getSeries(t.wh, { key: 'churned', from: '2026-05', to: '2026-02' })).rejects.toThrow(/after/);
  });
});

describe('getRanking and getBreakdown', () => {
  it('rank the cities and break a figure down', async () => {
    const ranking = await getRanking(t.wh, { key: 'convergence_rate', period: '2026-09' });
    expect(ranking.rows[0]).toMatchObject({ region_code: '330300', name_zh: '温州市', value: 0.5, rank: 1 });
    const breakdown = await getBreakdown(t.wh, { period: '2026-09', region: 'ALL', dimension: 'category' });
    expect(breakdown.rows).toHaveLength(6);
    await expect(getBreakdown(t.wh, { period: '2026-09', dimension: 'colour' })).rejects.toThrow(/dimension/);
  });
});

describe('toKpiNumber', () => {
  it('converts counts, exact decimals and doubles, and keeps null', () => {
    expect(toKpiNumber(12n)).toBe(12);
    expect(toKpiNumber(decimalValue(123456789012345n, 18, 2))).toBe(1234567890123.45);
    expect(toKpiNumber(decimalValue(-1505n, 18, 2))).toBe(-15.05);
    expect(toKpiNumber(0.25)).toBe(0.25);
    expect(toKpiNumber(Number.NaN)).toBeNull();
    expect(toKpiNumber(null)).toBeNull();
  });
});

describe('npm run kpis', () => {
  const run = (args: string[]) => {
    try {
      return { status: 0, stdout: execFileSync('npm', ['run', '--silent', 'kpis', '--', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { status: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('prints {"period","region","kpis"} with every key', () => {
    t.closeDb();
    const ok = run(['--db', t.path, '--period', '2026-09', '--region', '330300', '--json']);
    expect(ok.status).toBe(0);
    const body = JSON.parse(ok.stdout) as { period: string; region: string; kpis: Record<string, number | null> };
    expect(body.period).toBe('2026-09');
    expect(body.region).toBe('330300');
    expect(Object.keys(body.kpis)).toEqual([...KPI_KEYS]);
    expect(body.kpis.convergence_rate).toBe(0.5);
    expect(run(['--db', t.path, '--period', 'Sept', '--json']).status).toBe(2);
    expect(run(['--db', t.path, '--period', '2026-09', '--region', '123', '--json']).status).toBe(2);
    expect(run(['--db', t.path, '--json']).status).toBe(2);
  });
});
