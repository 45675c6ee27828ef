// Cross-site requests that change state: SameSite=Strict ignores the port, so a page on another port
// of this host could post with the user's cookie. The server refuses a state-changing /api request
// whose Origin (or, without one, Sec-Fetch-Site) is not its own; CLIs and curl send neither and pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../test/helpers/temp-warehouse.ts';
import { type TestServer, PASSWORD, postJson, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer();
}, 120_000);
afterAll(() => ts?.close());

const upload = () => {
  const form = new FormData();
  form.append('files', new Blob([readFileSync(join(FIXTURES, 'ingest', 'channel_ALL_202609.csv'))]), 'channel_ALL_202609.csv');
  return form;
};
const loads = async () => ((await (await ts.fetch('/api/loads', { as: 'analyst' })).json()) as { loads: unknown[] }).loads.length;
const otherPort = () => {
  const own = new URL(ts.url);
  return `http://${own.hostname}:${Number(own.port) === 65535 ? 1 : Number(own.port) + 1}`;
};

describe('cross-site requests', () => {
  it('refuses a multipart ingest with the cookie from another port of the same host, and loads nothing', async () => {
    const before = await loads();
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: upload(), as: 'analyst', headers: { origin: otherPort() } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/cross-site/);
    expect(body.error).toMatch(/跨站/);
    expect(await loads()).toBe(before);
  });

  it('refuses Sec-Fetch-Site cross-site or same-site without an Origin, and an opaque Origin', async () => {
    for (const headers of <Record<string, string>[]>[{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }]) {
      const res = await ts.fetch('/api/ingest', { method: 'POST', body: upload(), as: 'analyst', headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    const del = await ts.fetch('/api/sandbox/x', { method: 'DELETE', as: 'analyst', headers: { origin: 'http://evil.example' } });
    expect(del.status).toBe(403);
  });

  it('refuses a cross-site login (login CSRF) but not a same-origin one', async () => {
    expect((await postJson(ts, '/api/login', { user: 'analyst', password: PASSWORD }, null, { origin: otherPort() })).status).toBe(403);
    expect((await postJson(ts, '/api/login', { user: 'analyst', password: PASSWORD }, null, { origin: ts.url })).status).toBe(200);
  });

  it('accepts the same origin, same-origin fetch metadata, and requests with neither header', async () => {
    const before = await loads();
    const same = await ts.fetch('/api/ingest', { method: 'POST', body: upload(), as: 'analyst', headers: { origin: ts.url, 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(200);
    // The fixture breaks the rules on purpose (a refused load is still a load on record).
    expect(((await same.json()) as { files: { kind: string }[] }).files[0]!.kind).toBe('channel');
    expect(await loads()).toBe(before + 1);
    expect((await ts.fetch('/api/ingest', { method: 'POST', body: upload(), as: 'analyst', headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await ts.fetch('/api/ingest', { method: 'POST', body: upload(), as: 'analyst' })).status).toBe(200);
    // Reading stays open to any origin's navigation (the cookie still decides).
    expect((await ts.fetch('/api/me', { as: 'analyst', headers: { origin: otherPort() } })).status).toBe(200);
  });
});
