// One browser-test stack per test file: a copy of the demo warehouse behind the real server on a free
// port, serving the dashboard build, and a headless Debian Chromium. Helpers wait for what a user
// would see (text, elements), never for a fixed time.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { BriefingService } from '../../briefings/cache.ts';
import { startServer, type RunningServer } from '../../server/runtime.ts';
import { normalizeServerSettings } from '../../server/settings.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { PASSWORD } from './global-setup.ts';
import { TIME_ZONE } from '../../domain/time.ts';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Stack {
  url: string;
  server: RunningServer;
  browser: Browser;
  dir: string;
  extracts: string;
  /** A fresh browser context (its own cookies and storage) signed in as `user` through the login page. */
  signIn(user: string, opts?: SignInOptions): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export interface SignInOptions {
  width?: number;
  height?: number;
  path?: string;
  /** A phone: mobile emulation (meta viewport honoured, touch events, a 3× screen). */
  mobile?: boolean;
}

export interface StackOptions {
  /** Changes this test file's copy of the warehouse before the server starts (e.g. drops an extract's slice). */
  prepare?: (warehouse: Warehouse) => Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { dist, template, extracts } = inject('e2e');
  const dir = mkdtempSync(join(tmpdir(), 'tca-stack-'));
  const path = join(dir, 'warehouse.duckdb');
  copyFileSync(template, path);
  const warehouse = await Warehouse.open({ path, memoryLimit: '1GB', threads: 2 });
  await options.prepare?.(warehouse);
  const settings = normalizeServerSettings(path, {}, { host: '127.0.0.1', port: 0, staticDir: dist, readConnections: 2, sqlConnections: 1 });
  // The real briefing renderer, as `npm run serve` plugs it in (rendering only what a test asks for).
  const briefings = new BriefingService();
  const server = await startServer({
    warehouse,
    settings,
    serverFile: false,
    briefings: (wh, region, period, format, lang) => briefings.get(wh, region, period, format, lang),
    logger: { info: () => {}, error: (m) => console.error(m) },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });

  const stack: Stack = {
    url: server.url,
    server,
    browser,
    dir,
    extracts,
    async signIn(user, opts = {}) {
      const context = await browser.newContext({
        viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
        ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
        acceptDownloads: true,
        locale: 'zh-CN',
        timezoneId: TIME_ZONE,
      });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[${user}] page error: ${err.message}`));
      await page.goto(`${server.url}/login${opts.path ? `?next=${encodeURIComponent(opts.path)}` : ''}`);
      await page.locator('input[name=user]').fill(user);
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('button[type=submit]').click();
      // Signed in when the page has left the login form.
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return { context, page };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
      await briefings.close();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Logs in from Node (not the browser) and returns the session cookie, for API calls beside the page. */
export async function apiSession(url: string, user: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

export async function apiGet<T>(url: string, cookie: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as T };
}
