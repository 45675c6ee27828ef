// Alerts through a real server, real loads and a real local HTTP receiver: rules checked with clear
// errors, an escalated complaint loaded through POST /api/ingest fires once per (rule, region, month)
// and reaches the receiver as json, wecom and dingtalk bodies, a re-evaluation does not fire again, a
// corrected file resolves it, the escalation again fires anew; failing and hanging receivers get their
// tries recorded while the load succeeds; events and GET /api/alerts stay inside the user's region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeServerSettings } from './settings.ts';
import { listenEvents } from '../test/helpers/sse.ts';
import { PASSWORD, type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';
import { type Receiver, webhookReceiver } from '../test/helpers/webhook-receiver.ts';
import { addUser } from '../warehouse/users.ts';

let ts: TestServer;
let rx: Receiver;
beforeAll(async () => {
  rx = await webhookReceiver();
  ts = await testServer({
    demo: true,
    // Short waits so the test does not sit through the production back-off and 5 s limit.
    settings: { webhookBackoffMs: 100, webhookTimeoutMs: 700 },
    prepare: async (wh) => {
      await addUser(wh, { name: 'hangzhou', role: 'regional', region_code: '330100', password: PASSWORD });
    },
  });
}, 120_000);
afterAll(async () => {
  await ts?.close();
  await rx?.close();
});

const HEADER = 'complaint_id,received_at,region_code,customer_id,service,category,source,resolved_at,sla_hours,satisfaction,repeat_of';

/** A corrected complaint file of 温州 2026-09: one complaint, from `source`. */
function wenzhouComplaints(source: string): Blob {
  return new Blob([`${HEADER}\nTS202609990001,2026-09-12 10:20:00,330300,C300000608,broadband,installation,${source},,,,\n`]);
}

async function load(file: Blob, name = 'complaint_330300_202609.csv'): Promise<{ status: string; rows_loaded: number }> {
  const form = new FormData();
  form.append('files', file, name);
  const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { files: { status: string; rows_loaded: number }[] }).files[0]!;
}

type Alert = { id: number; rule: string; kpi: string; region_code: string; period: string; value: number | null; threshold: number | null; status: string; acked_by: string | null; deliveries: { url: string; tries: number; last_status: number | string | null }[] };

let hangzhouCookie: string | null = null;
/** As the regional user of 杭州 (330100), added for this file beside the helper's users. */
async function asHangzhou(path: string, init: RequestInit = {}): Promise<Response> {
  if (!hangzhouCookie) {
    const res = await postJson(ts, '/api/login', { user: 'hangzhou', password: PASSWORD }, null);
    hangzhouCookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
  return fetch(`${ts.url}${path}`, { ...init, headers: { cookie: hangzhouCookie! } });
}

async function alerts(as: 'wenzhou' | 'hangzhou' | 'exec' | 'admin', query = ''): Promise<Alert[]> {
  const res = as === 'hangzhou' ? await asHangzhou(`/api/alerts${query}`) : await ts.fetch(`/api/alerts${query}`, { as });
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Alert[] }).alerts;
}

async function addRule(body: unknown): Promise<{ id: number }> {
  const res = await postJson(ts, '/api/alerts/rules', body, 'admin');
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { id: number };
}

describe('alert rules', () => {
  it('are refused with a clear Chinese and English error: unknown KPI, bad scope, bad condition, bad URL', async () => {
    const good = { name: '越级投诉', kpi: 'escalated_complaints', scope: 'each', condition: { op: '>', value: 0 }, deliveries: [{ url: `${rx.url}/x`, format: 'json' }] };
    const cases: [unknown, RegExp][] = [
      [{ ...good, kpi: 'escalations' }, /unknown KPI key "escalations".*未知指标/],
      [{ ...good, scope: '339999' }, /scope: must be ALL, each or a region code.*339999/],
      [{ ...good, scope: 'wenzhou' }, /scope.*地市编码/],
      [{ ...good, condition: { op: '!=', value: 0 } }, /op must be one of.*条件无效/],
      [{ ...good, condition: { value: 0 } }, /condition.*条件无效/],
      [{ ...good, condition: { change_pct: -1 } }, /change_pct must be a number above 0/],
      [{ ...good, condition: { status: 'amber' } }, /status must be "red"/],
      [{ ...good, deliveries: [{ url: 'file:///etc/passwd', format: 'json' }] }, /deliveries\[0\]: url must use http or https.*只能使用 http 或 https/],
      [{ ...good, deliveries: [{ url: 'not a url', format: 'json' }] }, /not a valid URL/],
      [{ ...good, deliveries: [{ url: `${rx.url}/x`, format: 'slack' }] }, /format must be one of json, wecom, dingtalk/],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(ts, '/api/alerts/rules', body, 'admin');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await postJson(ts, '/api/alerts/rules', good, 'analyst')).status).toBe(403);
    expect((await postJson(ts, '/api/alerts/rules', good, null)).status).toBe(401);
    expect((await ts.fetch('/api/alerts/rules', { as: 'exec' })).status).toBe(403);
    expect((await ts.fetch('/api/alerts/rules/999', { method: 'DELETE', as: 'admin' })).status).toBe(404);
    expect((await ts.fetch('/api/alerts/rules', { as: 'admin' }).then((r) => r.json())) as { rules: unknown[] }).toEqual({ rules: [] });
  });

  it('default to a 5 s limit per try and 3 tries', () => {
    const s = normalizeServerSettings(':memory:', {});
    expect([s.webhookTimeoutMs, s.webhookTries]).toEqual([5000, 3]);
  });
});

describe('an escalated complaint loaded through the server', () => {
  let ruleId: number;
  let firstId: number;

  it('fires once for 温州 2026-09, to the receiver as json, wecom and dingtalk, and to the boards of 温州 and the province only', async () => {
    const rule = await addRule({
      name: '越级投诉预警',
      kpi: 'escalated_complaints',
      scope: 'each',
      condition: { op: '>', value: 0 },
      deliveries: [
        { url: `${rx.url}/ok-json`, format: 'json' },
        { url: `${rx.url}/ok-wecom`, format: 'wecom' },
        { url: `${rx.url}/ok-dingtalk`, format: 'dingtalk' },
      ],
    });
    ruleId = rule.id;
    expect(rule).toMatchObject({ name: '越级投诉预警', kpi: 'escalated_complaints', scope: 'each', created_by: 'admin' });
    const wenzhou = await listenEvents(ts, 'wenzhou');
    const hangzhou = await listenEvents(ts, asHangzhou);
    const province = await listenEvents(ts, 'exec');
    expect(await load(wenzhouComplaints('regulator'))).toMatchObject({ status: 'loaded', rows_loaded: 1 });
    const [json] = await rx.waitFor('/ok-json', 1);
    const [wecom] = await rx.waitFor('/ok-wecom', 1);
    const [ding] = await rx.waitFor('/ok-dingtalk', 1);
    await ts.server.ctx.alerts.idle();
    expect(json!.contentType).toMatch(/^application\/json/);
    expect(Object.keys(json!.body).sort()).toEqual(['kpi', 'message_en', 'message_zh', 'period', 'region_code', 'region_name', 'rule', 'status', 'threshold', 'url', 'value']);
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
      message_en: '[Alert] Wenzhou Sep 2026: Escalated complaints 1, above the threshold of 0',
    });
    expect(json!.body.url).toBe(`${ts.url}/?period=2026-09&region=330300`);
    expect(wecom!.body).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('【预警】温州市 2026年9月 越级投诉量 1 件，超过阈值 0 件') } });
    expect(ding!.body).toEqual({ msgtype: 'markdown', markdown: { title: '预警：温州市 越级投诉量', text: expect.stringContaining('越级投诉量 1 件') } });
    // Only 温州 crossed the line: no other city fired.
    expect(rx.received.filter((r) => r.path === '/ok-json').map((r) => r.body.region_code)).toEqual(['330300']);

    const seen = { wenzhou: await wenzhou.stop(), hangzhou: await hangzhou.stop(), province: await province.stop() };
    const alertsSeen = (events: [string, Record<string, unknown>][]) => events.filter(([e]) => e === 'alert').map(([, d]) => d);
    expect(alertsSeen(seen.wenzhou)).toEqual([expect.objectContaining({ region_code: '330300', status: 'firing', message_zh: json!.body.message_zh })]);
    expect(alertsSeen(seen.province)).toEqual([expect.objectContaining({ region_code: '330300', status: 'firing' })]);
    expect(alertsSeen(seen.hangzhou)).toEqual([]);

    const listed = await alerts('wenzhou');
    expect(listed).toHaveLength(1);
    firstId = listed[0]!.id;
    expect(listed[0]).toMatchObject({ rule: '越级投诉预警', kpi: 'escalated_complaints', region_code: '330300', period: '2026-09', value: 1, threshold: 0, status: 'firing', acked_by: null });
    expect(listed[0]!.deliveries.map((d) => [d.url.replace(rx.url, ''), d.tries, d.last_status])).toEqual([
      ['/ok-json', 1, 200],
      ['/ok-wecom', 1, 200],
      ['/ok-dingtalk', 1, 200],
    ]);
    expect(await alerts('hangzhou')).toEqual([]);
    expect((await alerts('exec')).map((a) => a.id)).toEqual([firstId]);
  });

  it('does not fire again on a re-evaluation that still holds', async () => {
    const before = rx.received.length;
    const res = await postJson(ts, '/api/alerts/evaluate', {}, 'admin');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fired: unknown[]; resolved: unknown[]; still_firing: number };
    expect(body.fired).toEqual([]);
    expect(body.resolved).toEqual([]);
    expect(body.still_firing).toBe(1);
    expect((await postJson(ts, '/api/alerts/evaluate', {}, 'exec')).status).toBe(403);
    await ts.server.ctx.alerts.idle();
    expect(rx.received.length).toBe(before);
    expect(await alerts('wenzhou', '?status=firing')).toHaveLength(1);
  });

  it('is acknowledged by the boards of 温州 or the province, not by another city', async () => {
    expect((await asHangzhou(`/api/alerts/${firstId}/ack`, { method: 'POST' })).status).toBe(403);
    expect((await ts.fetch(`/api/alerts/${firstId}/ack`, { method: 'POST', as: null })).status).toBe(401);
    expect((await ts.fetch('/api/alerts/99999/ack', { method: 'POST', as: 'exec' })).status).toBe(404);
    expect((await ts.fetch('/api/alerts/x/ack', { method: 'POST', as: 'exec' })).status).toBe(400);
    const res = await ts.fetch(`/api/alerts/${firstId}/ack`, { method: 'POST', as: 'wenzhou' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { alert: Alert }).alert).toMatchObject({ id: firstId, acked_by: 'wenzhou', status: 'firing' });
    expect((await alerts('exec'))[0]).toMatchObject({ id: firstId, acked_by: 'wenzhou' });
  });

  it('resolves when a corrected file removes the escalation, and fires anew when it comes back', async () => {
    await load(wenzhouComplaints('hotline'));
    const [, resolved] = await rx.waitFor('/ok-json', 2);
    expect(resolved!.body).toMatchObject({ region_code: '330300', period: '2026-09', status: 'resolved', value: 0, message_zh: expect.stringMatching(/^【预警解除】温州市 2026年9月 越级投诉量 0 件/) });
    await ts.server.ctx.alerts.idle();
    expect(await alerts('wenzhou', '?status=firing')).toEqual([]);
    expect(await alerts('wenzhou', '?status=resolved')).toEqual([expect.objectContaining({ id: firstId, status: 'resolved' })]);

    await load(wenzhouComplaints('media'));
    const [, , again] = await rx.waitFor('/ok-json', 3);
    expect(again!.body).toMatchObject({ region_code: '330300', status: 'firing', value: 1 });
    await ts.server.ctx.alerts.idle();
    const firing = await alerts('wenzhou', '?status=firing');
    expect(firing).toHaveLength(1);
    expect(firing[0]!.id).not.toBe(firstId);
    expect(await alerts('wenzhou', '?limit=1')).toEqual([expect.objectContaining({ id: firing[0]!.id })]);
  });

  it('deleting the rule resolves its firing alerts and stops it judging; both changes are in the audit log', async () => {
    expect((await ts.fetch(`/api/alerts/rules/${ruleId}`, { method: 'DELETE', as: 'admin' })).status).toBe(200);
    await ts.server.ctx.audit.flush();
    const audit = (await (await ts.fetch('/api/audit?user=admin&limit=50', { as: 'admin' })).json()) as { events: { action: string; target: string; status: string; detail: Record<string, unknown> | null }[] };
    const ours = audit.events.filter((e) => e.target === String(ruleId) && e.action.startsWith('alert_rule_'));
    expect(ours.map((e) => [e.action, e.status]).sort()).toEqual([
      ['alert_rule_add', 'ok'],
      ['alert_rule_remove', 'ok'],
    ]);
    // The robots' keys stay out of the log: format and host only.
    expect(ours.find((e) => e.action === 'alert_rule_add')!.detail).toMatchObject({ kpi: 'escalated_complaints', deliveries: [{ format: 'json', host: new URL(rx.url).host }, expect.anything(), expect.anything()] });
    expect(await alerts('wenzhou', '?status=firing')).toEqual([]);
    const res = await postJson(ts, '/api/alerts/evaluate', {}, 'admin');
    expect(((await res.json()) as { judged: number }).judged).toBe(0);
  });
});

describe('failing webhooks', () => {
  it('a receiver answering 500 gets exactly 3 tries and a hanging one times out, each try recorded, while the load succeeds', async () => {
    await load(wenzhouComplaints('hotline'));
    await ts.server.ctx.alerts.idle();
    await addRule({
      name: 'failing receivers',
      kpi: 'escalated_complaints',
      scope: '330300',
      condition: { op: '>=', value: 1 },
      deliveries: [
        { url: `${rx.url}/fail`, format: 'json' },
        { url: `${rx.url}/hang`, format: 'wecom' },
      ],
    });
    const loaded = await load(wenzhouComplaints('upper_company'));
    // The load answered while the hanging receiver was still being tried.
    expect(loaded).toMatchObject({ status: 'loaded', rows_loaded: 1 });
    expect(rx.at('/hang').length).toBeLessThan(3);
    await ts.server.ctx.alerts.idle();
    expect(rx.at('/fail')).toHaveLength(3);
    expect(rx.at('/hang')).toHaveLength(3);
    const [alert] = await alerts('wenzhou', '?status=firing');
    expect(alert!.deliveries.map((d) => [d.url.replace(rx.url, ''), d.tries, d.last_status])).toEqual([
      ['/fail', 3, 500],
      ['/hang', 3, 'timeout after 700 ms'],
    ]);
    // The board still answers with the loaded figure.
    const kpis = (await (await ts.fetch('/api/kpis?period=2026-09&region=330300', { as: 'wenzhou' })).json()) as { kpis: Record<string, number | null> };
    expect(kpis.kpis.escalated_complaints).toBe(1);
  }, 60_000);
});

describe('status red against a target', () => {
  it('fires when the target judges the month red (queries/targets.ts), quoting the attainment against 90%', async () => {
    // 温州 has 1 escalated complaint in 2026-09 (the last load above); a monthly target of 0 for a
    // `lower` key is missed: attainment 0, red.
    await addRule({ name: '越级投诉红灯', kpi: 'escalated_complaints', scope: '330300', condition: { status: 'red' }, deliveries: [{ url: `${rx.url}/red`, format: 'json' }] });
    const form = new FormData();
    form.append('files', new Blob(['region_code,period,kpi,target,weight\n330300,2026-09,escalated_complaints,0,10\n']), 'target_330300_202609.csv');
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    expect(((await res.json()) as { files: { status: string }[] }).files[0]!.status).toBe('loaded');
    await ts.server.ctx.alerts.idle();
    await postJson(ts, '/api/alerts/evaluate', {}, 'admin');
    const [red] = await rx.waitFor('/red', 1);
    await ts.server.ctx.alerts.idle();
    expect(rx.at('/red')).toHaveLength(1);
    expect(red!.body).toMatchObject({
      rule: '越级投诉红灯',
      region_code: '330300',
      period: '2026-09',
      value: 0,
      threshold: 0.9,
      status: 'firing',
      message_zh: '【预警】温州市 2026年9月 越级投诉量 目标完成率 0.0%，低于 90.0%（红灯）',
    });
  }, 60_000);
});
