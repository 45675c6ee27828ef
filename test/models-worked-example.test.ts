// The worked example of kpis.md, figure by figure, through the runner and the query layer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKpis } from '../queries/kpis.ts';
import { runModels } from '../warehouse/models.ts';
import { WORKED_EXAMPLE } from './fixtures/worked-example.ts';
import { insertRaw, openTempWarehouse, type TempWarehouse } from './helpers/raw-fixture.ts';

let t: TempWarehouse;

beforeAll(async () => {
  t = await openTempWarehouse();
  await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-08']);
  await insertRaw(t.wh, 'subscriber', WORKED_EXAMPLE['2026-09']);
  const run = await runModels(t.wh);
  expect(run.failed).toBe(0);
});

afterAll(() => t.close());

describe('runModels on the worked example of kpis.md', () => {
  it('gives the August figures', async () => {
    const { kpis } = await getKpis(t.wh, { period: '2026-08', region: '330300' });
    expect(kpis.active_subscriptions).toBe(4);
    expect(kpis.active_customers).toBe(3);
    expect(kpis.converged_customers).toBe(1);
    expect(kpis.convergence_rate).toBe(1 / 3);
    // no July extract: nothing that needs p-1
    expect(kpis.churn_rate).toBeNull();
    expect(kpis.net_adds).toBeNull();
    expect(kpis.vanished_subscriptions).toBeNull();
  });

  it('gives the September figures', async () => {
    const { kpis } = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    expect(kpis).toMatchObject({
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
    expect(kpis.customers_2_play).toBe(0);
    expect(kpis.vanished_subscriptions).toBe(0);
    expect(kpis.active_subscriptions_mobile).toBe(2);
    expect(kpis.active_subscriptions_iptv).toBe(1);
  });

  it('gives the same figures for the province, the only region having data', async () => {
    const city = await getKpis(t.wh, { period: '2026-09', region: '330300' });
    const all = await getKpis(t.wh, { period: '2026-09', region: 'ALL' });
    expect(all.kpis).toEqual(city.kpis);
  });
});
