// The acceptance of alerts (issue 12): an admin makes a rule on escalated complaints (越级投诉) on the
// alerts page; a corrected complaint file of 温州 with an escalation is loaded through POST /api/ingest;
// a real local receiver gets the json and wecom bodies within 5 s of the `models` event; 温州's open
// board shows the banner (and acknowledges it); a re-evaluation does not fire again; a receiver
// answering 500 gets exactly 3 tries while the load still succeeds. Real server, real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, webhookReceiver } from '../helpers/webhook-receiver.ts';
import { apiGet, apiSession, startStack, type Stack } from './harness.ts';

let stack: Stack;
let rx: Receiver;
beforeAll(async () => {
  stack = await startStack();
  rx = await webhookReceiver();
});
afterAll(async () => {
  await stack?.close();
  await rx?.close();
});

const HEADER = 'complaint_id,received_at,region_code,customer_id,service,category,source,resolved_at,sla_hours,satisfaction,repeat_of';

/** 温州's September complaints re-sent with `escalated` of them from the regulator (工信部/通管局). */
function wenzhouComplaints(escalated: number): Blob {
  const rows = [`TS202609880001,2026-09-03 09:10:00,330300,C300000608,mobile,network,hotline,2026-09-03 18:00:00,,satisfied,`];
  for (let i = 0; i < escalated; i++) rows.push(`TS20260988010${i},2026-09-1${i} 14:00:00,330300,C30000070${i},broadband,installation,regulator,,,,`);
  return new Blob([`${HEADER}\n${rows.join('\n')}\n`], { type: 'text/csv' });
}

async function ingest(cookie: string, file: Blob): Promise<{ status: string; rows_loaded: number }> {
  const form = new FormData();
  form.append('files', file, 'complaint_330300_202609.csv');
  const res = await fetch(`${stack.url}/api/ingest`, { method: 'POST', headers: { cookie }, body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { files: { status: string; rows_loaded: number }[] }).files[0]!;
}

/** The time each `models` event reaches a board's stream (a regional user's, as 温州's board gets it). */
async function modelsEvents(cookie: string): Promise<{ times: number[]; stop: () => void }> {
  const controller = new AbortController();
  const res = await fetch(`${stack.url}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const times: number[] = [];
  const reader = res.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
      // Count whole frames only; a frame cut between two reads is counted when it is complete.
      const end = text.lastIndexOf('\n\n');
      if (end < 0) continue;
      for (const _m of text.slice(0, end).matchAll(/^event: models$/gm)) times.push(Date.now());
      text = text.slice(end + 2);
    }
  })();
  return { times, stop: () => controller.abort() };
}

describe('alerts, end to end', () => {
  it('a rule on escalated complaints fires on a corrected file: webhooks within 5 s, the banner on the open board, no second firing, 500 tried 3 times', async () => {
    expect(rx.received).toEqual([]);
    // The admin makes the rule on the alerts page.
    const admin = await stack.signIn('admin', { path: '/alerts' });
    const form = admin.page.getByTestId('alert-rule-form');
    await form.waitFor();
    await admin.page.getByTestId('rule-name').fill('越级投诉预警');
    await admin.page.getByTestId('rule-kpi').selectOption('escalated_complaints');
    await admin.page.getByTestId('rule-scope').selectOption('each');
    await admin.page.getByTestId('rule-kind').selectOption('op');
    await admin.page.getByTestId('rule-op').selectOption('>');
    await admin.page.getByTestId('rule-threshold').fill('0');
    await admin.page.getByRole('button', { name: '添加推送地址' }).click();
    const urls = admin.page.getByTestId('rule-url');
    await urls.nth(0).fill(`${rx.url}/json`);
    await urls.nth(1).fill(`${rx.url}/wecom`);
    await form.locator('.hook-row').nth(1).locator('select').selectOption('wecom');
    await admin.page.getByTestId('rule-save').click();
    await admin.page.getByTestId('alert-rules').getByText('越级投诉预警').waitFor();
    const adminCookie = await apiSession(stack.url, 'admin');
    const rules = await apiGet<{ rules: { kpi: string; scope: string; condition: unknown; deliveries: unknown }[] }>(stack.url, adminCookie, '/api/alerts/rules');
    expect(rules.body.rules).toEqual([
      expect.objectContaining({ kpi: 'escalated_complaints', scope: 'each', condition: { op: '>', value: 0 }, deliveries: [{ url: `${rx.url}/json`, format: 'json' }, { url: `${rx.url}/wecom`, format: 'wecom' }] }),
    ]);

    // 温州's board is open, without a banner: the demo September has no escalated complaint in 温州.
    const wenzhou = await stack.signIn('wenzhou');
    await wenzhou.page.locator('.board:not([data-updated=""])').waitFor();
    expect(await wenzhou.page.getByTestId('alert-banner').count()).toBe(0);

    const wenzhouCookie = await apiSession(stack.url, 'wenzhou');
    const models = await modelsEvents(wenzhouCookie);
    const analyst = await apiSession(stack.url, 'analyst');
    expect(await ingest(analyst, wenzhouComplaints(1))).toMatchObject({ status: 'loaded', rows_loaded: 2 });

    const [json] = await rx.waitFor('/json', 1);
    const [wecom] = await rx.waitFor('/wecom', 1);
    await expect.poll(() => models.times.length).toBeGreaterThan(0);
    const modelsAt = models.times[0]!;
    expect(json!.at - modelsAt).toBeLessThan(5000);
    expect(wecom!.at - modelsAt).toBeLessThan(5000);
    expect(json!.body).toMatchObject({
      rule: '越级投诉预警',
      kpi: 'escalated_complaints',
      region_code: '330300',
      region_name: '温州市',
      period: '2026-09',
      value: 1,
      threshold: 0,
      status: 'firing',
      message_zh: '【预警】温州市 2026年9月 越级投诉量 1 件，超过阈值 0 件',
    });
    expect(wecom!.body).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('【预警】温州市 2026年9月 越级投诉量 1 件') } });
    // Only 温州 crossed the line.
    expect(rx.at('/json')).toHaveLength(1);

    // The open board shows the banner, pushed, without a reload; 温州 acknowledges it.
    const banner = wenzhou.page.getByTestId('alert-banner');
    await banner.getByText('【预警】温州市 2026年9月 越级投诉量 1 件，超过阈值 0 件').waitFor();
    await stack.screenshot(wenzhou.page, 'board-alert-banner');
    await banner.getByTestId('alert-ack').click();
    await banner.getByText('已确认 · wenzhou').waitFor();
    const listed = await apiGet<{ alerts: { acked_by: string | null; deliveries: { url: string; tries: number; last_status: unknown }[] }[] }>(stack.url, wenzhouCookie, '/api/alerts');
    expect(listed.body.alerts).toHaveLength(1);
    expect(listed.body.alerts[0]!.acked_by).toBe('wenzhou');

    // A re-evaluation that still holds does not fire again.
    const again = await fetch(`${stack.url}/api/alerts/evaluate`, { method: 'POST', headers: { cookie: adminCookie } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ fired: [], resolved: [], still_firing: 1 });
    await stack.server.ctx.alerts.idle();
    expect(rx.received).toHaveLength(2);

    // A receiver answering 500: exactly 3 tries, each recorded, and the load still succeeds.
    const failing = await fetch(`${stack.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { cookie: adminCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '两件以上', kpi: 'escalated_complaints', scope: '330300', condition: { op: '>=', value: 2 }, deliveries: [{ url: `${rx.url}/fail`, format: 'json' }] }),
    });
    expect(failing.status).toBe(200);
    expect(await ingest(analyst, wenzhouComplaints(2))).toMatchObject({ status: 'loaded', rows_loaded: 3 });
    await rx.waitFor('/fail', 3);
    await stack.server.ctx.alerts.idle();
    expect(rx.at('/fail')).toHaveLength(3);
    // The first rule's alert still holds (2 > 0): it did not fire again.
    expect(rx.at('/json')).toHaveLength(1);
    const after = await apiGet<{ alerts: { rule: string; deliveries: { url: string; tries: number; last_status: unknown }[] }[] }>(stack.url, adminCookie, '/api/alerts?status=firing');
    expect(after.body.alerts.find((a) => a.rule === '两件以上')!.deliveries).toEqual([expect.objectContaining({ url: `${rx.url}/fail`, tries: 3, last_status: 500 })]);
    const kpis = await apiGet<{ kpis: Record<string, number | null> }>(stack.url, wenzhouCookie, '/api/kpis?period=2026-09&region=330300');
    expect(kpis.body.kpis.escalated_complaints).toBe(2);

    // The admin page lists both alerts with their delivery log.
    await admin.page.reload();
    await expect.poll(() => admin.page.getByTestId('alert-list').locator('tr[data-status=firing]').count()).toBe(2);
    await stack.screenshot(admin.page, 'alerts-page');
    models.stop();
    await wenzhou.context.close();
    await admin.context.close();
  }, 120_000);
});
