// `progress` events of a load go to the boards of users without a region; a regional board hears of
// its own city's loads through `load` and `models`, never of other jobs in progress.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../test/helpers/temp-warehouse.ts';
import { type TestServer, type TestUser, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer();
}, 120_000);
afterAll(() => ts?.close());

/** Listens to /api/events as a user; stop() returns the events seen as [name, data]. */
async function listen(user: TestUser, region?: string): Promise<{ stop: () => Promise<[string, Record<string, unknown>][]> }> {
  const controller = new AbortController();
  const res = await ts.fetch(`/api/events${region ? `?region=${region}` : ''}`, { as: user, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return {
    async stop() {
      controller.abort();
      await reading;
      return [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => [m[1]!, JSON.parse(m[2]!) as Record<string, unknown>]);
    },
  };
}

describe('progress events', () => {
  it('reach the province and unrestricted boards, not a regional one', async () => {
    const province = await listen('exec');
    const analystCity = await listen('analyst', '330300');
    const regional = await listen('wenzhou');
    const form = new FormData();
    form.append('files', new Blob([readFileSync(join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv'))]), 'subscriber_ALL_202609.csv');
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    expect(res.status).toBe(200);
    await res.json();
    await new Promise((r) => setTimeout(r, 300));
    const [p, a, r] = [await province.stop(), await analystCity.stop(), await regional.stop()];
    expect(p.filter(([e]) => e === 'progress').length).toBeGreaterThan(0);
    expect(a.filter(([e]) => e === 'progress').length).toBeGreaterThan(0);
    expect(r.filter(([e]) => e === 'progress')).toEqual([]);
    // The regional board still hears of its city's load.
    expect(r.some(([e, d]) => e === 'load' && (d.slices as { region_code: string }[]).every((s) => s.region_code === '330300'))).toBe(true);
  });
});
