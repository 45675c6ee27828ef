// Every role signs in through the login page and gets the interface its role allows; the board's
// headline numbers are exactly /api/kpis for the same month and city, in Chinese and in English; a
// regional user neither sees nor reaches another city.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatValue, type Lang } from '../../charts/format.ts';
import { kpiMeta } from '../../charts/labels.ts';
import { HEADLINE_KEYS } from '../../dashboard/lib/tiles.ts';
import { ZHEJIANG_CITIES } from '../../domain/contracts.ts';
import { xlsxText } from '../helpers/briefing-scope.ts';
import { apiGet, apiSession, startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

type Kpis = { kpis: Record<string, number | null> };

const pick = (o: Record<string, number | null>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));

/** Waits until the board has figures for its filters, and returns them as the address bar says. */
async function boardShown(page: Page): Promise<{ period: string; region: string }> {
  await page.locator('.board:not([data-updated=""])').waitFor();
  const url = new URL(page.url());
  return { period: url.searchParams.get('period')!, region: url.searchParams.get('region') ?? 'ALL' };
}

async function expectTilesEqual(page: Page, kpis: Record<string, number | null>, lang: Lang): Promise<void> {
  for (const key of HEADLINE_KEYS) {
    const expected = formatValue(kpis[key], kpiMeta(key).kind, lang);
    await expect.poll(() => page.locator(`[data-kpi="${key}"]`).textContent(), { message: key }).toBe(expected);
  }
}

describe('the board', () => {
  it('opens on the login page', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);
    await page.locator('input[name=user]').waitFor();
    await stack.screenshot(page, 'login');
    await context.close();
  });

  it('shows an executive the figures of /api/kpis, in Chinese and English, and drills down to a city', async () => {
    const { context, page } = await stack.signIn('exec');
    const { period, region } = await boardShown(page);
    expect(region).toBe('ALL');
    expect(period).toBe('2026-09');
    const cookie = await apiSession(stack.url, 'exec');
    const province = await apiGet<Kpis>(stack.url, cookie, `/api/kpis?period=${period}&region=ALL`);
    await expectTilesEqual(page, province.body.kpis, 'zh');
    await page.getByTestId('board-where').getByText('全省 · 2026年9月').waitFor();
    // Executives get no SQL console and no data page, not even by typing the address.
    expect(await page.locator('nav a[data-nav=sql]').count()).toBe(0);
    expect(await page.locator('nav a[data-nav=data]').count()).toBe(0);
    await page.locator('[data-testid=city-chart][data-ready=true]').waitFor();
    await page.getByTestId('city-table').locator('tbody tr').nth(10).waitFor();
    await stack.screenshot(page, 'board-executive');

    await page.getByTestId('lang').click();
    await page.getByTestId('board-where').getByText('Province · Sep 2026').waitFor();
    await expectTilesEqual(page, province.body.kpis, 'en');
    await stack.screenshot(page, 'board-executive-en');
    await page.getByTestId('lang').click();

    // Drill down: a click on a city's bar sets the whole board to that city …
    await page.locator('[data-testid=city-chart] path[aria-label^="温州市:"]').click();
    await page.getByTestId('board-where').getByText('温州市 · 2026年9月').waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe('330300');
    const city = await apiGet<Kpis>(stack.url, cookie, `/api/kpis?period=${period}&region=330300`);
    await expectTilesEqual(page, city.body.kpis, 'zh');
    // … and so does a city's name in the table, from the keyboard too.
    await page.getByRole('button', { name: '返回全省' }).click();
    await page.getByTestId('board-where').getByText('全省 · 2026年9月').waitFor();
    await page.getByTestId('city-table').getByRole('button', { name: '温州市' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('board-where').getByText('温州市 · 2026年9月').waitFor();
    await expectTilesEqual(page, city.body.kpis, 'zh');

    // Another month through the filter.
    await page.getByTestId('filter-period').selectOption('2026-08');
    await page.getByTestId('board-where').getByText('温州市 · 2026年8月').waitFor();
    const august = await apiGet<Kpis>(stack.url, cookie, `/api/kpis?period=2026-08&region=330300`);
    await expectTilesEqual(page, august.body.kpis, 'zh');

    // A customer segment: subscription and revenue tiles show the segment's figures, the others say
    // they cover all segments.
    await page.getByTestId('filter-segment').selectOption('household');
    const household = await apiGet<Kpis>(stack.url, cookie, `/api/kpis?period=2026-08&region=330300&segment=household`);
    for (const key of ['active_subscriptions', 'convergence_rate', 'arpu', 'revenue']) {
      await expect.poll(() => page.locator(`[data-kpi="${key}"]`).textContent(), { message: key }).toBe(formatValue(household.body.kpis[key], kpiMeta(key).kind, 'zh'));
    }
    await page.locator('[data-tile=active_subscriptions] .scope', { hasText: '家庭' }).waitFor();
    await page.locator('[data-tile=complaints_per_10k] .scope', { hasText: '全部客户群' }).waitFor();
    await expectTilesEqual(page, { ...august.body.kpis, ...pick(household.body.kpis, ['active_subscriptions', 'convergence_rate', 'arpu', 'revenue']) }, 'zh');

    await page.goto(`${stack.url}/sql`);
    await page.getByRole('alert').getByText('无权访问').waitFor();
    await context.close();
  });

  it('gives analysts and admins the SQL console and the data page', async () => {
    for (const user of ['analyst', 'admin']) {
      const { context, page } = await stack.signIn(user);
      await boardShown(page);
      await page.locator('nav a[data-nav=sql]').waitFor();
      await page.locator('nav a[data-nav=data]').click();
      await page.getByTestId('load-history').locator('tbody tr').first().waitFor();
      if (user === 'admin') await stack.screenshot(page, 'data-loads');
      await context.close();
    }
  });

  it('keeps a regional user in their own city: no other city is shown or reachable', async () => {
    const { context, page } = await stack.signIn('wenzhou');
    const { period } = await boardShown(page);
    const cookie = await apiSession(stack.url, 'wenzhou');
    const own = await apiGet<Kpis>(stack.url, cookie, `/api/kpis?period=${period}&region=330300`);
    await expectTilesEqual(page, own.body.kpis, 'zh');
    await page.getByTestId('board-where').getByText('温州市').waitFor();
    expect(await page.getByTestId('filter-region').count()).toBe(0);
    expect(await page.getByTestId('city-table').count()).toBe(0);
    expect(await page.locator('nav a[data-nav=sql]').count()).toBe(0);
    await page.locator('[data-testid=trend-chart][data-ready=true]').waitFor();
    await stack.screenshot(page, 'board-regional');
    const others = ZHEJIANG_CITIES.filter((c) => c.code !== '330300');
    const text = await page.locator('body').innerText();
    for (const c of others) expect(text).not.toContain(c.nameZh);

    // Asking for another city in the address keeps the board on Wenzhou …
    await page.goto(`${stack.url}/?region=330100&period=${period}`);
    await boardShown(page);
    await page.getByTestId('board-where').getByText('温州市').waitFor();
    await expectTilesEqual(page, own.body.kpis, 'zh');
    // … and the API refuses it, from the page's own session.
    const status = await page.evaluate(async (p) => (await fetch(`/api/kpis?period=${p}&region=330100`)).status, period);
    expect(status).toBe(403);

    await page.locator('nav a[data-nav=briefings]').click();
    await page.getByTestId('briefing-list').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('briefing-region').count()).toBe(0);
    const briefings = await page.locator('main').innerText();
    for (const c of others) expect(briefings).not.toContain(c.nameZh);
    // The September briefing downloads as a PDF from the page.
    const row = page.getByTestId('briefing-list').locator('tr', { hasText: '2026年9月' });
    const [pdf] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'PDF' }).click()]);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.suggestedFilename()).toBe('briefing_330300_2026-09.pdf');
    // … and its English edition, chosen on the page.
    await page.getByTestId('briefing-edition').selectOption('en');
    const [en] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'XLSX' }).click()]);
    expect(en.suggestedFilename()).toBe('briefing_330300_2026-09_en.xlsx');
    const english = await xlsxText(readFileSync((await en.path())!));
    expect(english).toContain('Wenzhou');
    for (const c of others) expect(english).not.toMatch(new RegExp(`${c.nameZh}|\\b${c.nameEn}\\b`));
    expect(await page.getByRole('status').count()).toBe(0);
    await stack.screenshot(page, 'briefings-regional');

    // The wall screen of a regional office rotates through its own city's boards only.
    await page.goto(`${stack.url}/wall?interval=2`);
    await page.getByTestId('slide-title').getByText('发展趋势').waitFor({ timeout: 15_000 });
    const wall = await page.locator('body').innerText();
    expect(wall).toContain('温州市');
    for (const c of others) expect(wall).not.toContain(c.nameZh);
    await context.close();
  });
});
