// The worked example of kpis.md, figure by figure, through the runner and the query layer, and the
// version-2 figures of September's revenue, channel and complaint extracts of the same city, with
// the arithmetic beside each expected figure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_CATALOGUE } from '../domain/kpi-catalogue.ts';
import { getKpis } from '../queries/kpis.ts';
import { runModels } from '../warehouse/models.ts';
import { WORKED_EXAMPLE, WORKED_EXAMPLE_SEPTEMBER } from './fixtures/worked-example.ts';
import { insertRaw, openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await openTempWarehouse();
  await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
  await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-09']);
  await insertRaw(t.wh, 'revenue', WORKED_EXAMPLE_SEPTEMBER.revenue);
  await insertRaw(t.wh, 'channel', WORKED_EXAMPLE_SEPTEMBER.channel);
  await insertRaw(t.wh, 'complaint', WORKED_EXAMPLE_SEPTEMBER.complaint);
  const run = await runModels(t.wh);
  expect(run.tests.filter((x) => x.failures > 0)).toEqual([]);
});

afterAll(() => t.close());

async function kpis(period: string, region = '330300') {
  return (await getKpis(t.wh, { period, region })).kpis;
}

describe('runModels on the worked example of kpis.md', () => {
  it('gives the August figures', async () => {
    const k = await kpis('2026-08');
    expect(k.active_subscriptions).toBe(4);
    expect(k.active_customers).toBe(3);
    expect(k.converged_customers).toBe(1);
    expect(k.convergence_rate).toBe(1 / 3);
    // no July extract: nothing that needs p-1
    expect(k.churn_rate).toBeNull();
    expect(k.net_adds).toBeNull();
    expect(k.vanished_subscriptions).toBeNull();
  });

  it('gives August null, never 0, for every figure of an extract that has not arrived', async () => {
    const k = await kpis('2026-08');
    const notArrived = KPI_CATALOGUE.filter((d) => d.sources.some((kind) => kind !== 'subscriber'));
    expect(notArrived.map((d) => d.key)).toEqual(expect.arrayContaining(['complaints', 'revenue', 'gross_adds_partner_full', 'unattributed_adds']));
    for (const d of notArrived) expect(k[d.key], d.key).toBeNull();
  });

  it('gives the September figures', async () => {
    const k = await kpis('2026-09');
    expect(k).toMatchObject({
      active_subscriptions: 4,
      churned: 1,
      gross_adds: 1,
      churn_rate: 1 / 4,
      churn_rate_converged: 0,
      churn_rate_standalone: 1 / 2,
      net_adds: 0,
      customers_3_play: 1,
      customers_1_play: 1,
      active_customers: 2,
      converged_customers: 1,
      convergence_rate: 1 / 2,
    });
    expect(k.customers_2_play).toBe(0);
    expect(k.vanished_subscriptions).toBe(0);
    expect(k.active_subscriptions_mobile).toBe(2);
    expect(k.active_subscriptions_iptv).toBe(1);
  });

  it("gives September's revenue figures", async () => {
    expect(await kpis('2026-09')).toMatchObject({
      revenue: 155, // 50 + (80 − 10) + 0 + 20 + 15
      gross_amount: 165, // 50 + 80 + 0 + 20 + 15
      discount_rate: 10 / 165,
      revenue_mobile: 65, // M1 50 + M3 0 + M2 15
      arpu: 38.75, // 155 / ((4 + 4) / 2)
      arpu_mobile: 26, // 65 / ((3 + 2) / 2): M1 M2 M3 in August, M1 M3 in September
      arpu_broadband: 70, // 70 / ((1 + 1) / 2)
      arpu_iptv: 40, // 20 / ((0 + 1) / 2)
      arpa: 77.5, // 155 / 2 active customers (C1, C3); C2's 15 is revenue of no active customer
      arpa_converged: 140, // C1: 50 + 70 + 20, one converged customer
      arpa_standalone: 0, // C3: 0
      orphan_revenue_rows: 0,
      zero_revenue_share: 1 / 4, // M3 billed 0, of M1 B1 M3 I1
    });
  });

  it("gives September's channel figures", async () => {
    expect(await kpis('2026-09')).toMatchObject({
      gross_adds_partner_full: 1, // I1 through O1
      gross_adds_partner_store: 0,
      converged_adds_share: 1, // I1 joins K1 with M1 and B1: three services
      active_outlets_partner_store: 1,
      adds_per_outlet_partner_full: 1, // 1 add / 1 outlet
      adds_per_outlet_partner_store: 0, // 0 / 1
      commission_total: 150, // 120 + 30 + 0
      commission_per_add: 150, // social commission 120 + 30 over 1 social add
      exclusive_adds_share: 1, // I1 of I1
      exclusive_outlets: 1, // O1
      adds_per_outlet_exclusive: 1, // 1 / 1
      adds_per_outlet_shared: 0, // 0 / 1 (O2)
      commission_per_add_exclusive: 120, // 120 / 1
      commission_per_add_shared: null, // 30 / 0
      commission_revenue_ratio: 150 / 155,
      unattributed_adds: 0,
    });
  });

  it("gives September's complaint figures, as of 2026-09-30 23:59:59", async () => {
    expect(await kpis('2026-09')).toMatchObject({
      complaints: 3,
      complaints_per_10k: (3 / 4) * 10000,
      escalated_complaints: 1, // W1, through the regulator
      escalated_per_10k: (1 / 4) * 10000,
      sla_met_rate: 1 / 2, // W3 met; due: W3 resolved and W1 past its deadline; W2 not yet due
      mean_resolution_hours: 12, // W3: 09:00 → 21:00
      repeat_rate: 0,
      satisfaction_rate: 1, // W3's one answer
      complaints_network: 1,
      complaints_installation: 1,
      complaints_billing: 1,
      complaints_mobile: 1, // W1
      complaints_broadband: 1, // W2
      complaints_fixed_voice: 0,
      complaints_iptv: 0, // W3 names no service
      open_complaints: 2, // W1 W2
      overdue_open_complaints: 1, // W1: deadline 09-30 10:00
      regulator_complaints_per_million: (1 / 4) * 1_000_000,
    });
  });

  it('gives the same figures for the province, the only region having data', async () => {
    expect(await kpis('2026-09', 'ALL')).toEqual(await kpis('2026-09'));
    expect(await kpis('2026-08', 'ALL')).toEqual(await kpis('2026-08'));
  });
});
