// What the login page and browsers rely on outside the API: /api/health says whether this is a
// demo warehouse, and the dashboard build is cached so that a rebuild never strands a browser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAppSetting } from '../warehouse/users.ts';
import { type TestServer, testServer } from '../test/helpers/test-server.ts';
import { tempDir } from '../test/helpers/temp-warehouse.ts';

let site: ReturnType<typeof tempDir>;
let plain: TestServer;
let demo: TestServer;
beforeAll(async () => {
  site = tempDir('site-');
  mkdirSync(join(site.dir, 'assets'));
  writeFileSync(join(site.dir, 'index.html'), '<!doctype html><title>board</title><script src="/assets/main-abc123.js"></script>');
  writeFileSync(join(site.dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  plain = await testServer({ settings: { staticDir: site.dir } });
  demo = await testServer({ prepare: (wh) => setAppSetting(wh, 'demo', 'true') });
});
afterAll(async () => {
  await plain.close();
  await demo.close();
  site.remove();
});

describe('GET /api/health', () => {
  it('answers without a session and says whether the warehouse is a demo one', async () => {
    expect(await (await plain.fetch('/api/health', { as: null })).json()).toMatchObject({ ok: true, demo: false });
    expect(await (await demo.fetch('/api/health', { as: null })).json()).toMatchObject({ ok: true, demo: true });
  });
});

describe('the dashboard build', () => {
  it('caches hashed assets for good and makes browsers revalidate index.html, also for app routes like /wall', async () => {
    const asset = await plain.fetch('/assets/main-abc123.js', { as: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const path of ['/', '/index.html', '/wall']) {
      const page = await plain.fetch(path, { as: null });
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control'), path).toBe('no-cache');
      expect(await page.text()).toContain('<title>board</title>');
    }
  });
});
