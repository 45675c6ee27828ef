// The audit-log page (admin): the entries of GET /api/audit in a table — an analyst's SQL run and a
// failed login among them — filtered by user and action (the filters kept in the address bar), in
// Chinese and English; the navigation offers it to admins only, and another role opening /audit is
// refused by the page as the server refuses the API. Real server, real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiSession, startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('the audit-log page', () => {
  it('lists and filters what happened, for admins only', async () => {
    const analyst = await apiSession(stack.url, 'analyst');
    const run = await fetch(`${stack.url}/api/sql`, { method: 'POST', headers: { cookie: analyst, 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select 42 as audited_probe' }) });
    expect(run.status).toBe(200);
    const failed = await fetch(`${stack.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'intruder', password: 'guess-guess-guess' }) });
    expect(failed.status).toBe(401);

    const { context, page } = await stack.signIn('admin', { path: '/audit', width: 1440 });
    try {
      await expect.poll(() => page.locator('nav a[data-nav=audit]').count()).toBe(1);
      const list = page.getByTestId('audit-list');
      await list.waitFor();
      // The rows are the API's.
      const admin = await apiSession(stack.url, 'admin');
      const api = await apiGet<{ events: { at: string; user: string; action: string }[] }>(stack.url, admin, '/api/audit');
      const firstRows = await list.locator('tbody tr').evaluateAll((rows) => rows.slice(0, 3).map((r) => [r.children[0]!.textContent, r.getAttribute('data-user'), r.getAttribute('data-action')]));
      expect(firstRows.length).toBeGreaterThan(0);
      for (const [at, user, action] of firstRows) expect(api.body.events.some((e) => e.at === at && e.user === user && e.action === action), `${at} ${user} ${action}`).toBe(true);
      await expect.poll(() => list.locator('tr[data-action=sql][data-user=analyst]').count()).toBeGreaterThan(0);
      expect(await list.locator('tr[data-action=sql][data-user=analyst] td.detail').first().textContent()).toContain('select 42 as audited_probe');
      const intruder = list.locator('tr[data-action=login][data-user=intruder]');
      expect(await intruder.getAttribute('data-status')).toBe('failed');
      expect(await intruder.locator('td.status').textContent()).toBe('失败');

      // Filter: the analyst's SQL runs only; the filters land in the address bar.
      await page.getByTestId('audit-user').fill('analyst');
      await page.getByTestId('audit-action').selectOption('sql');
      await page.getByTestId('audit-apply').click();
      await expect.poll(() => page.url()).toContain('action=sql');
      expect(page.url()).toContain('user=analyst');
      await expect.poll(async () => (await list.locator('tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-user')}/${r.getAttribute('data-action')}`))).every((x) => x === 'analyst/sql')).toBe(true);
      // Nothing since tomorrow.
      await page.getByTestId('audit-since').fill('2099-01-01T00:00');
      await page.getByTestId('audit-apply').click();
      await page.getByTestId('audit-empty').waitFor();

      // English labels.
      await page.getByTestId('lang').click();
      expect(await page.locator('h1').first().textContent()).toBe('Audit log');
      expect(await page.getByTestId('audit-empty').textContent()).toBe('No entries match');
    } finally {
      await context.close();
    }

    // An analyst is not offered the page, and opening it is refused (as GET /api/audit is: 403).
    const other = await stack.signIn('analyst', { path: '/audit' });
    try {
      await other.page.locator('p.error[role=alert]').waitFor();
      expect(await other.page.locator('nav a[data-nav=audit]').count()).toBe(0);
      expect(await other.page.getByTestId('audit-list').count()).toBe(0);
      expect((await apiGet(stack.url, analyst, '/api/audit')).status).toBe(403);
    } finally {
      await other.context.close();
    }
  }, 120_000);
});
