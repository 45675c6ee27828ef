// The second fixture (test/fixtures/hand-computed.ts). Every expected figure below was worked out
// by hand from kpis.md version 2; the arithmetic is written next to it. Money is exact to the fen (rounded
// half away from zero), counts exact, ratios to 1e-12.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { getBreakdown, getKpis, getRanking } from '../queries/kpis.ts';
import { runModels } from '../warehouse/models.ts';
import { A, B, insertHandComputed } from './fixtures/hand-computed.ts';
import { openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await openTempWarehouse();
  await insertHandComputed(t.wh);
  const run = await runModels(t.wh);
  expect(run.tests.filter((x) => x.failures > 0)).toEqual([]);
});

afterAll(() => t.close());

function expectFigures(actual: Record<string, number | null>, expected: Record<string, number | null>): void {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    const unit = kpiDefinition(key)?.unit;
    if (unit === undefined) throw new Error(`not a KPI key: ${key}`);
    if (want === null || unit === 'count' || unit === 'money') expect(got, key).toBe(want);
    else expect(got, key).toBeCloseTo(want, 12);
  }
}

async function kpis(period: string, region: string) {
  return (await getKpis(t.wh, { period, region })).kpis;
}

describe('runModels on the hand-computed fixture: subscribers', () => {
  it('city A in June, with a May extract', async () => {
    expectFigures(await kpis('2026-06', A), {
      // June active: M1 B1 M2 N1 N2 N3 N4 N5 (F2 ended 06-20, N6 ended 06-25)
      active_subscriptions: 8,
      active_subscriptions_mobile: 6,
      active_subscriptions_broadband: 2,
      active_subscriptions_fixed_voice: 0,
      active_subscriptions_iptv: 0,
      // CA1 CA2 CA3 CA4 CA5 CA6; KA1 and KA3 have two services each, KA4 (N3) one
      active_customers: 6,
      converged_customers: 2,
      convergence_rate: 2 / 6,
      customers_1_play: 4,
      customers_2_play: 2,
      customers_3_play: 0,
      customers_4_play: 0,
      gross_adds: 6,
      churned: 2, // F2, and N6 added and gone within June
      churn_rate: 2 / 5, // May active: M1 B1 M2 F2 V1
      churn_rate_converged: 0 / 2, // cohort M1 B1
      churn_rate_standalone: 1 / 3, // cohort M2 F2 V1: F2 churned; V1 vanished, not churned
      net_adds: 8 - 5,
      vanished_subscriptions: 1,
    });
  });

  it('city B, loaded for the first time in June: nothing that needs p-1', async () => {
    expectFigures(await kpis('2026-06', B), {
      active_subscriptions: 4, // M1 M2 I2 M3; M4 ended 06-08
      active_customers: 3, // CB1, CB2, CA2
      converged_customers: 1,
      convergence_rate: 1 / 3,
      customers_1_play: 2,
      customers_2_play: 1,
      gross_adds: 0,
      churned: 1, // M4
      churn_rate: null,
      churn_rate_converged: null,
      churn_rate_standalone: null,
      net_adds: null,
      vanished_subscriptions: null,
    });
  });

  it('the province from the rows, not from the cities, and like for like against May', async () => {
    const all = await kpis('2026-06', 'ALL');
    expectFigures(all, {
      active_subscriptions: 12, // 8 + 4
      active_customers: 8, // CA2 holds subscriptions in A and B: counted once
      converged_customers: 3,
      convergence_rate: 3 / 8,
      customers_1_play: 4, // CA4 CA5 CA6 CB1
      customers_2_play: 4, // CA1 CA3 CB2, and CA2 with mobile in A and broadband in B
      gross_adds: 6,
      churned: 3, // a plain sum: F2, N6 and B's M4
      // like for like: only A has a subscriber extract for May as well as June, so B — loaded for
      // the first time — moves neither the churn rate (not 3 / 5) nor the net adds (not 12 − 5)
      churn_rate: 2 / 5,
      net_adds: 8 - 5,
      vanished_subscriptions: 1,
      churn_rate_converged: 0,
      churn_rate_standalone: 1 / 3,
    });
    const a = await kpis('2026-06', A);
    const b = await kpis('2026-06', B);
    expect(all.convergence_rate).not.toBeCloseTo(((a.convergence_rate ?? 0) + (b.convergence_rate ?? 0)) / 2, 6);
    expect(all.arpa).not.toBe(((a.arpa ?? 0) + (b.arpa ?? 0)) / 2);
  });

  it('May: A has no revenue or channel extract, and an empty complaint extract', async () => {
    expectFigures(await kpis('2026-05', A), {
      active_subscriptions: 5,
      converged_customers: 1,
      revenue: null,
      arpu: null,
      zero_revenue_share: null,
      commission_total: null,
      active_outlets_self_run_hall: null,
      gross_adds_self_run_hall: null,
      unattributed_adds: null,
      // the complaint extract arrived without rows: a month without complaints, counted 0
      complaints: 0,
      complaints_billing: 0,
      complaints_mobile: 0,
      open_complaints: 0,
      overdue_open_complaints: 0,
      complaints_per_10k: 0, // 0 / 5 × 10,000
      regulator_complaints_per_million: 0,
      sla_met_rate: null, // 0 / 0
      satisfaction_rate: null,
    });
    // B has nothing in May: a valid period without data
    expect(Object.values(await kpis('2026-05', B)).every((v) => v === null)).toBe(true);
  });
});

describe('runModels on the hand-computed fixture: revenue', () => {
  it('city A: ARPU over the May–June average', async () => {
    expectFigures(await kpis('2026-06', A), {
      // amounts 50+30+100+40+20+33.33+10.01−15+5 = 273.34, discounts 10+20 = 30
      revenue: 243.34,
      gross_amount: 273.34,
      discount_rate: 30 / 273.34,
      revenue_mobile: 138.34, // 70 + 40 + 33.33 + 10.01 − 15
      revenue_broadband: 80,
      revenue_fixed_voice: 20,
      revenue_iptv: 5, // the orphan row
      arpu: 37.44, // 243.34 / ((5 + 8) / 2) = 37.4369…
      arpu_mobile: 30.74, // 138.34 / ((3 + 6) / 2) = 30.742…
      arpu_broadband: 53.33, // 80 / ((1 + 2) / 2)
      arpu_fixed_voice: 40, // 20 / ((1 + 0) / 2)
      arpu_iptv: null, // no iptv subscription in May or June
      arpa: 40.56, // 243.34 / 6
      arpa_converged: 91.67, // (150 + 33.33) / 2 = 91.665, half away from zero
      arpa_standalone: 13.75, // CA2 60 + CA4 10.01 + CA5 0 + CA6 −15 = 55.01 / 4
      orphan_revenue_rows: 1,
      // N2 and N4 have no revenue row, N5 nets −15: 3 of the 8 active
      zero_revenue_share: 3 / 8,
    });
  });

  it('city B: ARPU over June alone', async () => {
    expectFigures(await kpis('2026-06', B), {
      revenue: 151.5,
      gross_amount: 160.5,
      discount_rate: 9 / 160.5,
      arpu: 37.88, // 151.50 / 4 = 37.875
      arpu_mobile: 39.5, // (25 + 54) / 2
      arpu_iptv: 27,
      arpu_broadband: 45.5,
      arpu_fixed_voice: null,
      arpa: 50.5, // 151.50 / 3
      arpa_converged: 81, // CB2: 54 + 27
      arpa_standalone: 35.25, // CB1 25 + CA2's B row 45.50, over 2
      orphan_revenue_rows: 0,
      zero_revenue_share: 0, // M1 25, M2 54, I2 27, M3 45.50
    });
  });

  it("the province: ARPU over the sum of the cities' own averages", async () => {
    expectFigures(await kpis('2026-06', 'ALL'), {
      revenue: 394.84,
      gross_amount: 433.84,
      discount_rate: 39 / 433.84,
      revenue_iptv: 32,
      // A averages (5 + 8) / 2 = 6.5, B, without May, its June 4: 394.84 / 10.5 = 37.6038…
      // (version 1 averaged the province's totals: 394.84 / ((5 + 12) / 2) = 46.45)
      arpu: 37.6,
      arpu_mobile: 33.44, // 217.34 / ((3 + 6) / 2 + 2) = 33.4369…
      arpu_broadband: 50.2, // 125.50 / ((1 + 2) / 2 + 1)
      arpu_iptv: 32, // 32 / ((0 + 0) / 2 + 1)
      arpu_fixed_voice: 40, // 20 / ((1 + 0) / 2 + 0)
      arpa: 49.36, // 394.84 / 8 = 49.355
      arpa_converged: 88.11, // (150 + 33.33 + 81) / 3
      arpa_standalone: 25.1, // CA2 105.50 + 10.01 + 0 − 15 + CB1 25 = 125.51 / 5
      orphan_revenue_rows: 1,
      zero_revenue_share: 3 / 12, // A's 3 of the 12
    });
  });
});

describe('runModels on the hand-computed fixture: channels', () => {
  it("city A: what A's outlets sold, wherever the subscription is", async () => {
    expectFigures(await kpis('2026-06', A), {
      gross_adds_self_run_hall: 2, // N3, N6 through CHA3
      gross_adds_partner_full: 1, // N1 through CHA1
      gross_adds_partner_store: 1, // N2 through CHA2
      gross_adds_service_point: 0, // N4 went through CHB9, an outlet of B: B's sale
      gross_adds_online: 0,
      unattributed_adds: 1, // N5: CH-NOPE is in no channel extract; by the subscription's city
      // N1 N2 in KA3 (mobile + broadband); N3's KA4 has one service; N4 N5 N6 in none
      converged_adds_share: 2 / 6,
      active_outlets_self_run_hall: 1,
      active_outlets_partner_full: 1,
      active_outlets_partner_store: 1, // CHA4 closed on 06-15
      active_outlets_service_point: 1, // CHA5 opened on the last day
      active_outlets_online: 0,
      adds_per_outlet_self_run_hall: 2,
      adds_per_outlet_service_point: 0, // 0 / 1
      adds_per_outlet_online: null,
      commission_total: 540.5, // 300 + 150.50 + 0 + 80 + 10
      commission_per_add: 270.25, // social commission 540.50 / social adds N1 N2
      exclusive_adds_share: 1 / 2, // N1 (CHA1) of N1 N2
      exclusive_outlets: 1, // CHA1; CHA4 is closed
      adds_per_outlet_exclusive: 1, // N1 / CHA1
      adds_per_outlet_shared: 1 / 2, // N2 / CHA2 CHA5
      commission_per_add_exclusive: 380, // CHA1 300 + CHA4 80 (closed, paid) over N1
      commission_per_add_shared: 160.5, // CHA2 150.50 + CHA5 10 over N2
      commission_revenue_ratio: 540.5 / 243.34,
    });
  });

  it("city B: its closed outlet's sale in A", async () => {
    expectFigures(await kpis('2026-06', B), {
      commission_total: 20,
      gross_adds_service_point: 1, // N4 through CHB9
      commission_per_add: 20, // CHB9's 20 over N4
      exclusive_adds_share: 1,
      exclusive_outlets: 0, // CHB9 closed on 05-31
      adds_per_outlet_exclusive: null, // 1 / 0
      adds_per_outlet_shared: null, // 0 / 0
      commission_per_add_exclusive: 20,
      commission_per_add_shared: null,
      commission_revenue_ratio: 20 / 151.5,
      converged_adds_share: null, // no add in B: 0 / 0
      unattributed_adds: 0,
      active_outlets_online: 1,
      active_outlets_hotline: 0, // closed_on = end of June
      active_outlets_service_point: 0,
      adds_per_outlet_service_point: null, // 1 / 0
      adds_per_outlet_online: 0,
      adds_per_outlet_hotline: null,
    });
  });

  it('the province: every add once', async () => {
    expectFigures(await kpis('2026-06', 'ALL'), {
      gross_adds_service_point: 1,
      gross_adds_self_run_hall: 2,
      unattributed_adds: 1, // 2 + 1 + 1 + 1 + 1 = the 6 gross adds
      converged_adds_share: 2 / 6,
      commission_total: 560.5,
      commission_per_add: 186.83, // 560.50 / 3 = 186.833…
      exclusive_adds_share: 2 / 3, // N1 N4 of N1 N2 N4
      exclusive_outlets: 1,
      adds_per_outlet_exclusive: 2, // N1 N4 / CHA1
      adds_per_outlet_shared: 1 / 2,
      commission_per_add_exclusive: 200, // (380 + 20) / 2
      commission_per_add_shared: 160.5,
      commission_revenue_ratio: 560.5 / 394.84,
      active_outlets_online: 1,
      adds_per_outlet_service_point: 1, // N4 / CHA5
    });
  });
});

describe('runModels on the hand-computed fixture: complaints', () => {
  it('city A, judged as of 2026-06-30 23:59:59', async () => {
    expectFigures(await kpis('2026-06', A), {
      complaints: 6,
      complaints_per_10k: (6 / 8) * 10000,
      escalated_complaints: 3, // media, regulator, upper_company
      escalated_per_10k: (3 / 8) * 10000,
      // met: Q1 (24 h of a default 48), Q6 (30.5 h of 48); due: Q1 Q2 Q6 resolved, Q4 open past its
      // deadline; Q3 open before its deadline and Q5 resolved after as_of are not due yet
      sla_met_rate: 2 / 4,
      // Q1 24 h, Q2 74 h (06-10 10:00 → 06-13 12:00, past its installation default of 72 h), Q6 30.5 h
      mean_resolution_hours: (24 + 74 + 30.5) / 3,
      repeat_rate: 2 / 6,
      satisfaction_rate: 2 / 4, // Q1 Q5 satisfied of Q1 Q2 Q4 Q5 answers
      complaints_billing: 2,
      complaints_network: 2,
      complaints_installation: 1,
      complaints_product: 1,
      complaints_service_attitude: 0,
      complaints_other: 0,
      complaints_mobile: 4, // Q1 Q2 Q4 Q5
      complaints_broadband: 1, // Q3
      complaints_fixed_voice: 0,
      complaints_iptv: 0, // Q6 names no service
      open_complaints: 3, // Q3 Q4, and Q5 resolved after as_of
      overdue_open_complaints: 1, // Q4 (deadline 06-21 08:00); Q3's is 07-01 12:00, Q5's 07-01 20:00
      regulator_complaints_per_million: (1 / 8) * 1_000_000, // Q5
    });
  });

  it("city B, whose complaint extract has not arrived: not reported, never 0", async () => {
    expectFigures(await kpis('2026-06', B), {
      complaints: null,
      complaints_per_10k: null,
      escalated_complaints: null,
      escalated_per_10k: null,
      sla_met_rate: null,
      mean_resolution_hours: null,
      repeat_rate: null,
      satisfaction_rate: null,
      complaints_billing: null,
      complaints_mobile: null,
      open_complaints: null,
      overdue_open_complaints: null,
      regulator_complaints_per_million: null,
    });
  });

  it('the province: per 10k over the cities with both extracts', async () => {
    expectFigures(await kpis('2026-06', 'ALL'), {
      complaints: 6,
      // A's complaints over A's subscriptions, not over 12: B's complaints are missing, not 0
      complaints_per_10k: (6 / 8) * 10000,
      escalated_per_10k: (3 / 8) * 10000,
      regulator_complaints_per_million: (1 / 8) * 1_000_000,
      sla_met_rate: 0.5,
      complaints_mobile: 4,
      open_complaints: 3,
      overdue_open_complaints: 1,
    });
  });
});

describe('query layer on the hand-computed fixture', () => {
  it('getKpis with a segment gives the figures of that customer group', async () => {
    const r = await getKpis(t.wh, { period: '2026-06', region: 'ALL', segment: 'household' });
    expectFigures(r.kpis, {
      active_subscriptions: 6, // A: M1 B1 N1 N2; B: M2 I2
      active_customers: 3,
      converged_customers: 3,
      convergence_rate: 1,
      revenue: 264.33, // 70 + 80 + 33.33 + 54 + 27
      // A averages (2 + 4) / 2 = 3, B its June 2: 264.33 / 5 = 52.866
      arpu: 52.87,
      arpa: 88.11,
      complaints: null, // not computed per customer group
    });
  });

  it('getKpis with a segment compares like for like', async () => {
    const r = await getKpis(t.wh, { period: '2026-06', region: 'ALL', segment: 'personal' });
    expectFigures(r.kpis, {
      active_subscriptions: 5, // A: M2 N3 N5; B: M1 M3
      churned: 3, // A: F2 N6; B: M4
      churn_rate: 2 / 3, // A's F2 N6 over A's May M2 F2 V1; B has no May
      net_adds: 0, // A: 3 − 3
    });
  });

  it('getBreakdown by service', async () => {
    const r = await getBreakdown(t.wh, { period: '2026-06', region: A, dimension: 'service' });
    expect(r.rows.map((x) => x.code)).toEqual(['mobile', 'fixed_voice', 'broadband', 'iptv']);
    expect(r.rows[0]).toMatchObject({ label_zh: '移动', active_subscriptions: 6, revenue: 138.34, arpu: 30.74 });
  });

  it('getRanking puts the cities without figures last', async () => {
    const r = await getRanking(t.wh, { key: 'active_subscriptions', period: '2026-06' });
    expect(r.rows).toHaveLength(11);
    expect(r.rows.slice(0, 2)).toMatchObject([
      { region_code: A, value: 8, rank: 1 },
      { region_code: B, value: 4, rank: 2 },
    ]);
    expect(r.rows[2]).toMatchObject({ value: null, rank: null });
  });
});
