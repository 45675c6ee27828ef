// The SQL console version 2 in a real browser (issue 14): it asks /api/sql for Arrow and shows
// 100,000 rows read from the Arrow columns, every type as the JSON answer has it; it exports the whole
// result from the server with the bytes received and a cancel; saved queries are shared between
// analysts and the history follows the analyst to a fresh browser.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../warehouse/users.ts';
import { PASSWORD } from './global-setup.ts';
import { apiSession, startStack, type Stack } from './harness.ts';
import type { Page } from 'playwright-core';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    prepare: async (wh) => {
      await addUser(wh, { name: 'analyst2', role: 'analyst', region_code: null, password: PASSWORD });
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** Every type the console shows, with values a double cannot hold, nulls, dates before 1970. */
const EVERY_TYPE = `select range as n,
  9007199254740993 + range as big,
  ((range - 50000)::decimal(18,2) * 0.01)::decimal(18,2) as money,
  '-12345678901234567890.0123456789'::decimal(38,10) + range as wide,
  range::hugeint * 10000000000000000000000 as huge,
  date '1965-03-01' + (range % 30000)::integer as day,
  timestamp '1969-12-31 23:59:58.5' + to_seconds(range * 61) as ts,
  timestamptz '2026-09-30 16:30:00+00' + to_seconds(range * 37) as tstz,
  range / 3 as third,
  (range % 1000)::integer as small,
  range % 2 = 0 as even,
  case when range % 7 = 0 then null else '第' || range || '行' end as label
from range(100000) order by n`;

async function typeQuery(page: Page, sql: string): Promise<void> {
  const editor = page.getByTestId('sql-editor');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

/** The texts of grid row `r` (0-based), scrolled into view. */
async function gridRow(page: Page, r: number): Promise<string[]> {
  const grid = page.getByTestId('result-grid');
  await grid.evaluate((el: { scrollTop: number }, top: number) => (el.scrollTop = top), Math.max(0, r * 28 - 100));
  const row = grid.locator(`[role=row][aria-rowindex="${r + 2}"]`);
  await row.waitFor();
  const cells = await row.locator('[role=gridcell]').allInnerTexts();
  return cells.slice(1);
}

describe('SQL console, version 2', () => {
  it('asks for Arrow, renders 100,000 rows, and shows every type as the JSON answer does', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/sql' });
    const accepts: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/api/sql') accepts.push(req.headers().accept ?? '');
    });
    await typeQuery(page, EVERY_TYPE);
    await page.keyboard.press('Control+Enter');
    const grid = page.getByTestId('result-grid');
    await expect.poll(() => grid.getAttribute('data-rows'), { timeout: 60_000 }).toBe('100000');
    await expect.poll(() => grid.getAttribute('data-complete')).toBe('true');
    expect(accepts).toEqual(['application/vnd.apache.arrow.stream']);
    // Virtualised: a few dozen rows in the page.
    expect(await grid.locator('[role=row]').count()).toBeLessThan(80);
    // The browser found the first rows before it had them all.
    const marks = await page.evaluate(() => ['tca:sql-first', 'tca:sql-done'].map((m) => performance.getEntriesByName(m).at(-1)?.startTime ?? null));
    expect(marks[0]).not.toBeNull();
    expect(marks[0]!).toBeLessThanOrEqual(marks[1]!);

    const cookie = await apiSession(stack.url, 'analyst');
    const res = await fetch(`${stack.url}/api/sql`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ sql: EVERY_TYPE }) });
    const json = (await res.json()) as { columns: { name: string; type: string }[]; rows: unknown[][] };
    expect(json.rows.length).toBe(100_000);
    const header = await grid.locator('[role=columnheader]').allInnerTexts();
    for (const [i, c] of json.columns.entries()) expect(header[i + 1]).toContain(c.name);

    for (const r of [0, 1, 7, 4095, 4096, 50_000, 65_535, 77_777, 99_999]) {
      const cells = await gridRow(page, r);
      const want = json.rows[r]!;
      for (const [c, v] of want.entries()) {
        const label = `row ${r} ${json.columns[c]!.name} (${json.columns[c]!.type})`;
        if (v === null) expect(cells[c], label).toBe('NULL');
        else if (typeof v === 'number') expect(Number(cells[c]), label).toBe(v);
        else expect(cells[c], label).toBe(String(v));
      }
    }
    // Exact where JSON needs a string, and DECIMAL with its scale.
    const row = await gridRow(page, 77_777);
    expect(row.slice(0, 8)).toEqual([
      '77777',
      '9007199254818770',
      '277.77',
      '-12345678901234490113.0123456789',
      '777770000000000000000000000',
      '2013-11-01',
      '1970-02-24 21:53:15',
      // TIMESTAMPTZ as Asia/Shanghai wall time (UTC+8).
      '2026-11-03 07:52:29',
    ]);
    await stack.screenshot(page, 'sql-console-arrow');
    await context.close();
  }, 180_000);

  it('exports the whole result from the server, shows the bytes received, and cancels', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/sql' });
    await typeQuery(page, `select range as n, '第' || range || '行' as label from range(300000)`);
    await page.keyboard.press('Control+Enter');
    const grid = page.getByTestId('result-grid');
    await expect.poll(() => grid.getAttribute('data-complete'), { timeout: 60_000 }).toBe('true');
    // The console shows 100,000 rows; the export holds all 300,000.
    expect(await grid.getAttribute('data-rows')).toBe('100000');
    await page.getByTestId('sql-status').getByText('结果已截断').waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^query-\d{8}-\d{6}\.csv$/);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines.length).toBe(300_002);
    expect(lines[300_000]).toBe('299999,第299999行');

    // A result of 10^10 rows: the bytes count up, cancel stops it, nothing is saved, the console goes on.
    await typeQuery(page, 'select a.range as a, b.range as b from range(100000) a, range(100000) b');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => grid.getAttribute('data-complete'), { timeout: 60_000 }).toBe('true');
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('export-csv').click();
    const progress = page.getByTestId('export-progress');
    await expect.poll(async () => Number(/([\d.]+) MB/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.getByTestId('export-cancel').click();
    await progress.waitFor({ state: 'detached' });
    await typeQuery(page, 'select 42 as answer');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => grid.getAttribute('data-rows')).toBe('1');
    expect(downloads).toBe(0);
    await page.getByTestId('history-tab').click();
    await page.getByTestId('history').getByText('CSV', { exact: false }).first().waitFor();
    await context.close();
  }, 180_000);

  it('shares a saved query with another analyst, and the history follows the analyst to a fresh browser', async () => {
    const first = await stack.signIn('analyst', { path: '/sql' });
    await typeQuery(first.page, 'select 314159 as pi_digits');
    await first.page.keyboard.press('Control+Enter');
    await expect.poll(() => first.page.getByTestId('result-grid').getAttribute('data-rows')).toBe('1');
    await first.page.getByTestId('save').click();
    await first.page.getByTestId('save-form').locator('input[name=name]').fill('共享的圆周率');
    await first.page.getByTestId('save-form').locator('input[name=shared]').check();
    await first.page.getByTestId('save-form').locator('button[type=submit]').click();
    await first.page.getByTestId('saved').getByText('共享的圆周率').waitFor();
    await typeQuery(first.page, 'select 271828 as e_digits');
    await first.page.getByTestId('save').click();
    await first.page.getByTestId('save-form').locator('input[name=name]').fill('只给自己');
    await first.page.getByTestId('save-form').locator('button[type=submit]').click();
    await first.page.getByTestId('saved').getByText('只给自己').waitFor();

    // Another browser (fresh storage), same analyst: the run is in the history from the server.
    const again = await stack.signIn('analyst', { path: '/sql' });
    await again.page.getByTestId('history-tab').click();
    await again.page.getByTestId('history').getByText('select 314159 as pi_digits').waitFor();
    expect(await again.page.getByTestId('history-offline').count()).toBe(0);

    // The other analyst sees the shared query, not the private one, and may not delete it.
    const other = await stack.signIn('analyst2', { path: '/sql' });
    await other.page.getByTestId('saved-tab').click();
    const saved = other.page.getByTestId('saved');
    await saved.getByText('共享的圆周率').waitFor();
    expect(await saved.getByText('只给自己').count()).toBe(0);
    expect(await saved.locator('li', { hasText: '共享的圆周率' }).locator('button.delete').count()).toBe(0);
    await saved.getByText('共享的圆周率').click();
    await other.page.keyboard.press('Control+Enter');
    await expect.poll(() => other.page.getByTestId('result-grid').getAttribute('data-rows')).toBe('1');
    await other.page.getByTestId('result-grid').getByText('314159').waitFor();
    // …and their history does not hold the first analyst's runs.
    await other.page.getByTestId('history-tab').click();
    await other.page.getByTestId('history').getByText('select 314159 as pi_digits').waitFor();
    expect(await other.page.getByTestId('history').getByText('select 271828', { exact: false }).count()).toBe(0);
    for (const s of [first, again, other]) await s.context.close();
  }, 120_000);
});
