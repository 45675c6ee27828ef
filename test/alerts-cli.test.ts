// `npm run models` on the warehouse file, with no server: a full run judges the alert rules too, and
// the command waits for the webhook before it ends (a real local receiver); its --json output is the
// run's, unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { addRule, listAlerts } from '../warehouse/alerts.ts';
import { runCliScript } from './helpers/run-command.ts';
import { tempWarehouse } from './helpers/temp-warehouse.ts';
import { loadDemo } from './helpers/test-server.ts';
import { type Receiver, webhookReceiver } from './helpers/webhook-receiver.ts';

let t: Awaited<ReturnType<typeof tempWarehouse>>;
let rx: Receiver;
beforeAll(async () => {
  rx = await webhookReceiver();
  t = await tempWarehouse();
  await loadDemo(t.wh, t.dir);
  await addRule(
    t.wh,
    { name: '全省投诉', kpi: 'complaints', scope: 'ALL', condition: { op: '>=', value: 0 }, deliveries: [{ url: `${rx.url}/cli`, format: 'json' }] },
    'admin',
  );
  t.wh.close();
}, 120_000);
afterAll(async () => {
  t?.dispose();
  await rx?.close();
});

describe('npm run models on the file', () => {
  it('judges the rules after the full run and delivers before it exits', async () => {
    const res = await runCliScript('cli/models.ts', ['--db', t.path, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ mode: 'full', status: 'ok' });
    // Delivered before the command ended: no waiting here.
    expect(rx.at('/cli').map((r) => r.body)).toEqual([
      expect.objectContaining({ rule: '全省投诉', kpi: 'complaints', region_code: 'ALL', region_name: '全省', period: '2026-09', status: 'firing' }),
    ]);
    const wh = await Warehouse.open({ path: t.path, memoryLimit: '512MB', threads: 2 });
    try {
      expect(await listAlerts(wh, { region: null, limit: 10 })).toEqual([expect.objectContaining({ rule: '全省投诉', region_code: 'ALL', period: '2026-09', status: 'firing' })]);
    } finally {
      wh.close();
    }
    // Run again: it still holds, so nothing fires and nothing is sent.
    const again = await runCliScript('cli/models.ts', ['--db', t.path, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(rx.at('/cli')).toHaveLength(1);
  }, 240_000);
});
