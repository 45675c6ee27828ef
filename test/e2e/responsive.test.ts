// The board on a phone, a tablet and every desk width, and the wall on every wall (issue 14, item 1).
// On a phone (390 × 844, mobile emulation) every role's board fits the screen's width — no sideways
// scrolling, every headline tile whole — and the menu button reaches the pages, the language switch
// and logout with touch-sized targets; the "not reported" states and live updates read as on the desk.
// At 1920, 1440, 1024 and 390 px (the wall at 1920, 1440 and 1280) no chart or figure overflows or is
// squeezed out of its panel or tile, in the same page resized (so the charts must re-fit) and after a
// full-page capture (which resizes the window). Wenzhou's September complaint extract has not arrived
// in this file's copy of the warehouse, so the not-reported figures are measured too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatValue, NOT_REPORTED } from '../../charts/format.ts';
import { TILES } from '../../dashboard/lib/tiles.ts';
import { runModels } from '../../warehouse/models.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { apiGet, apiSession, ARTIFACTS, startStack, type Stack } from './harness.ts';
import { chartsReady, expectFits } from './layout.ts';

const WENZHOU = '330300';
const PERIOD = '2026-09';
const PHONE = { width: 390, height: 844, mobile: true };

async function withoutWenzhouComplaints(wh: Warehouse): Promise<void> {
  const where = `region_code = '${WENZHOU}' and period = date '${PERIOD}-01'`;
  await wh.run(`delete from raw_complaint where ${where}`);
  await wh.run(`delete from load_slices where kind = 'complaint' and ${where}`);
  await runModels(wh);
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ prepare: withoutWenzhouComplaints });
});
afterAll(async () => {
  await stack?.close();
});

/**
 * The README's screenshots (docs/screenshots/ holds copies): the visible screen, one image pixel per
 * CSS pixel, so a phone's is 390 px wide rather than its 3× screen.
 */
async function readmeShot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(ARTIFACTS, `readme-${name}.png`), scale: 'css' });
}

async function boardShown(page: Page): Promise<void> {
  await page.locator('.board:not([data-updated=""])').waitFor();
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

/** The bounding boxes of the visible elements `selector` matches (strings: no DOM types in Node code). */
async function boxes(page: Page, selector: string): Promise<Box[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => e.getClientRects().length > 0).map((e) => { const b = e.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height }; })`,
  )) as Box[];
}

/** Every headline tile whole within the screen's width, and its figures inside it. */
async function expectTilesWhole(page: Page): Promise<void> {
  const tiles = await boxes(page, '[data-testid=tiles] [data-tile]');
  expect(tiles.length).toBe(TILES.length);
  const width = (await page.evaluate('window.innerWidth')) as number;
  for (const t of tiles) {
    expect(t.left).toBeGreaterThanOrEqual(0);
    expect(t.right).toBeLessThanOrEqual(width);
    expect(t.width).toBeGreaterThan(120);
  }
}

/** Touch targets: at least 44 × 44 CSS pixels. */
async function expectTouchTargets(page: Page, selector: string, count: number): Promise<void> {
  const found = await boxes(page, selector);
  expect(found.length, selector).toBeGreaterThanOrEqual(count);
  for (const b of found) {
    expect(b.height, selector).toBeGreaterThanOrEqual(44);
    expect(b.width, selector).toBeGreaterThanOrEqual(44);
  }
}

describe('the board on a phone (390 × 844, mobile emulation)', () => {
  const roles: [string, string[], string][] = [
    ['exec', ['board', 'wall', 'league', 'briefings'], 'Province · Sep 2026'],
    ['analyst', ['board', 'wall', 'league', 'sql', 'data', 'briefings', 'targets'], 'Province · Sep 2026'],
    ['wenzhou', ['board', 'wall', 'league', 'briefings'], 'Wenzhou · Sep 2026'],
    ['admin', ['board', 'wall', 'league', 'sql', 'data', 'briefings', 'targets', 'alerts', 'audit'], 'Province · Sep 2026'],
  ];

  for (const [user, pages, whereEn] of roles) {
    it(`fits ${user}'s board to the screen, and the menu reaches language and logout`, async () => {
      const { context, page } = await stack.signIn(user, PHONE);
      await boardShown(page);
      await chartsReady(page, 3);
      expect(await page.evaluate('window.innerWidth')).toBe(390);
      await expectTilesWhole(page);
      await expectFits(page, `${user} at 390`, { tiles: TILES.length, charts: 3, width: 390 });

      if (user === 'exec') await readmeShot(page, 'board-390');
      // The menu is closed: the pages, language and logout are behind the button.
      expect(await page.getByTestId('lang').isVisible()).toBe(false);
      expect(await page.getByTestId('logout').isVisible()).toBe(false);
      await expectTouchTargets(page, '[data-testid=menu]', 1);
      await page.getByTestId('menu').tap();
      await page.getByTestId('lang').waitFor();
      const links = await page.locator('nav a[data-nav]').evaluateAll((as) => as.map((a) => a.getAttribute('data-nav')));
      expect(links).toEqual(pages);
      await expectTouchTargets(page, 'nav a[data-nav], [data-testid=lang], [data-testid=logout]', pages.length + 2);
      if (user === 'exec') await readmeShot(page, 'board-390-menu');
      // Still nothing wider than the screen with the menu open.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      // The language switch: the board in English, the menu closed again by a tap outside it.
      await page.getByTestId('lang').tap();
      await page.getByTestId('board-where').getByText(whereEn).waitFor();
      await page.touchscreen.tap(200, 820);
      await expect.poll(() => page.getByTestId('lang').isVisible()).toBe(false);
      await expectFits(page, `${user} at 390 in English`, { tiles: TILES.length, charts: 3, width: 390 });
      await stack.screenshot(page, `mobile-${user}-en`);

      await page.getByTestId('menu').tap();
      await page.getByTestId('logout').tap();
      await page.locator('input[name=user]').waitFor();
      await context.close();
    });
  }

  it('fits the SQL console to the screen: the editor first, a query answered, nothing wider than the phone', async () => {
    const { context, page } = await stack.signIn('analyst', { ...PHONE, path: '/sql' });
    const editor = page.getByTestId('sql-editor');
    await editor.waitFor();
    await editor.tap();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select region_code, count(*) as n from raw_subscriber group by region_code order by region_code');
    await page.getByTestId('run').tap();
    const grid = page.getByTestId('result-grid');
    await expect.poll(() => grid.getAttribute('data-rows')).toBe('11');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // the query's one long line wraps inside the editor: all of it in view, nothing scrolled sideways
    const editorScroll = (await page.evaluate(`(() => { const s = document.querySelector('.cm-scroller'); return [s.scrollWidth, s.clientWidth]; })()`)) as [number, number];
    expect(editorScroll[0]).toBeLessThanOrEqual(editorScroll[1]);
    expect(await editor.innerText()).toContain('order by region_code');
    // the editor and the answer above the tables, saved queries and history, each within the screen
    const box = async (testid: string) => (await page.getByTestId(testid).boundingBox())!;
    const [ed, answer, side] = [await box('sql-editor'), await box('result-grid'), (await page.locator('.console > aside').boundingBox())!];
    for (const b of [ed, answer, side]) expect(b.x + b.width).toBeLessThanOrEqual(390);
    expect(ed.y).toBeLessThan(side.y);
    expect(answer.y).toBeLessThan(side.y);
    await expectTouchTargets(page, '[data-testid=run]', 1);
    await stack.screenshot(page, 'mobile-sql');
    await context.close();
  });

  it('ranks the cities as a list that fits, with "not reported" where an extract has not arrived', async () => {
    const { context, page } = await stack.signIn('exec', PHONE);
    await boardShown(page);
    const list = page.getByTestId('city-list');
    await list.locator('li').nth(10).waitFor();
    expect(await page.getByTestId('city-table').isVisible()).toBe(false);
    const items = await boxes(page, '[data-testid=city-list] li');
    expect(items).toHaveLength(11);
    for (const b of items) expect(b.right).toBeLessThanOrEqual(390);
    // Ranked on the sorted KPI: ranks never worse before better.
    const ranks = await list.locator('li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-rank') || Infinity)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await expectTouchTargets(page, '[data-testid=city-list] li button.city', 11);
    // Sorting by complaints: Wenzhou has no figure (not reported, never 0) and comes last, unranked.
    await page.getByTestId('city-sort').selectOption('complaints_per_10k');
    const last = list.locator('li').last();
    await expect.poll(() => last.getAttribute('data-region')).toBe(WENZHOU);
    expect(await last.getAttribute('data-rank')).toBe('');
    expect(await last.locator('.main').textContent()).toBe(NOT_REPORTED.zh);
    // A city's name drills the board down to it.
    await list.getByRole('button', { name: '杭州市' }).tap();
    await page.getByTestId('board-where').getByText('杭州市 · 2026年9月').waitFor();
    await stack.screenshot(page, 'mobile-cities');
    await context.close();
  });

  it("shows a regional user's not-reported figures in words, inside their tiles", async () => {
    const { context, page } = await stack.signIn('wenzhou', PHONE);
    await boardShown(page);
    for (const key of ['complaints_per_10k', 'escalated_complaints', 'sla_met_rate']) {
      await expect.poll(() => page.locator(`[data-kpi=${key}]`).textContent(), { message: key }).toBe(NOT_REPORTED.zh);
      expect(await page.locator(`[data-kpi=${key}]`).getAttribute('data-not-reported')).toBe('complaint');
    }
    await page.getByTestId('not-reported').first().waitFor();
    await chartsReady(page, 2);
    await expectTilesWhole(page);
    await expectFits(page, 'wenzhou, not reported, at 390', { tiles: TILES.length, charts: 2, width: 390 });
    await context.close();
  });

  it('refreshes an open phone board when a load lands', async () => {
    const { context, page } = await stack.signIn('exec', PHONE);
    await boardShown(page);
    const tile = page.locator('[data-kpi=active_subscriptions]');
    const before = await tile.textContent();
    await page.evaluate('window.__sameDocument = true');
    // Wenzhou's September subscribers re-sent without their last 30 rows: a corrected slice.
    const lines = readFileSync(join(stack.extracts, 'subscriber_ALL_202609.csv'), 'utf8').trimEnd().split('\n');
    const rows = lines.slice(1).filter((l) => l.split(',')[4] === WENZHOU);
    const file = join(stack.dir, 'subscriber_330300_202609.csv');
    writeFileSync(file, [lines[0], ...rows.slice(0, rows.length - 30)].join('\n') + '\n');
    const cookie = await apiSession(stack.url, 'analyst');
    const form = new FormData();
    form.append('files', new Blob([readFileSync(file)], { type: 'text/csv' }), 'subscriber_330300_202609.csv');
    const res = await fetch(`${stack.url}/api/ingest`, { method: 'POST', headers: { cookie }, body: form });
    expect(((await res.json()) as { files: { status: string }[] }).files[0]!.status).toBe('loaded');
    const after = await apiGet<{ kpis: Record<string, number> }>(stack.url, cookie, `/api/kpis?period=${PERIOD}&region=ALL`);
    const expected = formatValue(after.body.kpis.active_subscriptions!, 'count', 'zh');
    expect(expected).not.toBe(before);
    await expect.poll(() => tile.textContent()).toBe(expected);
    await page.locator('[data-tile=active_subscriptions].changed').waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await expectTilesWhole(page);
    await expectFits(page, 'exec at 390 after a live update', { tiles: TILES.length, charts: 3, width: 390 });
    await context.close();
  });
});

describe('charts and figures at every width', () => {
  it('keeps every chart and figure of the board inside its panel or tile at 1920, 1440, 1024 and 390 px, re-fitting as the window changes', async () => {
    // An admin: the most pages in the bar; in Chinese and in English (the longer labels).
    const { context, page } = await stack.signIn('admin', { width: 1920, height: 1080 });
    await boardShown(page);
    await chartsReady(page, 6);
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') {
        await page.setViewportSize({ width: 1920, height: 1080 });
        await page.getByTestId('lang').click();
        await page.getByTestId('board-where').getByText('Province · Sep 2026').waitFor();
      }
      for (const width of [1920, 1440, 1024, 390, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await expectFits(page, `board at ${width} (${lang})`, { tiles: TILES.length, charts: 6, width });
        if (width === 1440 && lang === 'zh') await readmeShot(page, 'board-1440');
      }
    }
    // A full-page capture resizes the window to the page's height and back: the charts re-fit both times.
    await page.screenshot({ path: join(stack.dir, 'full.png'), fullPage: true });
    await expectFits(page, 'board at 1440 after a full-page capture', { tiles: TILES.length, charts: 6, width: 1440 });
    // Panels that change size while the window does not (as when a panel's content arrives later and
    // splits it in two): here the charts' column narrowed from inside the page.
    await page.evaluate(`document.querySelector('.charts').style.maxWidth = '760px'`);
    await expectFits(page, 'board at 1440, the charts in 760 px', { tiles: TILES.length, charts: 6, width: 1440 });
    await context.close();
  });

  for (const [width, height] of [
    [1920, 1080],
    [1440, 900],
    [1280, 720],
  ] as const) {
    it(`keeps every chart and figure of the wall inside its figure or tile at ${width} × ${height}`, async () => {
      const { context, page } = await stack.signIn('exec', { width, height, path: '/wall?interval=600' });
      await page.locator('.wall:not([data-updated=""])').waitFor();
      const slides = ['overview', 'cities', 'trends', 'mix', 'service'];
      for (const slide of slides) {
        await page.locator(`.wall[data-slide=${slide}]`).waitFor();
        if (slide === 'overview') {
          await expectFits(page, `wall ${slide} at ${width}`, { tiles: TILES.length, charts: 0, width });
        } else {
          await chartsReady(page, 1);
          await expectFits(page, `wall ${slide} at ${width}`, { tiles: 0, charts: 1, width });
        }
        // The wall is never taller than its screen either.
        expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThanOrEqual(height);
        await page.keyboard.press('ArrowRight');
      }
      await context.close();
    });
  }
});

describe('the top bar at every desk width', () => {
  it("keeps an admin's nine pages and the user inside the bar, in Chinese and English, or folds them behind the menu", async () => {
    const { context, page } = await stack.signIn('admin', { width: 1920, height: 900 });
    await boardShown(page);
    for (const lang of ['zh', 'en'] as const) {
      if ((await page.evaluate('document.documentElement.lang')) !== (lang === 'zh' ? 'zh-CN' : 'en')) {
        await page.getByTestId('lang').click();
      }
      for (const width of [1920, 1440, 1366, 1280, 1240, 1201, 1200, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        // (page-side code as text: the tests are typed without the DOM's types)
        const bar = (await page.evaluate(`(() => {
          const header = document.querySelector('header');
          const links = [...header.querySelectorAll('nav a')].filter((a) => a.getBoundingClientRect().width > 0);
          const user = header.querySelector('.user').getBoundingClientRect();
          const lastLink = links.length ? links[links.length - 1].getBoundingClientRect() : null;
          return {
            folded: links.length === 0,
            overflow: header.scrollWidth > header.clientWidth,
            linksEnd: lastLink ? lastLink.right : 0,
            userStart: user.width > 0 ? user.left : Number.MAX_SAFE_INTEGER,
            userEnd: user.width > 0 ? user.right : 0,
            brand: header.querySelector('.brand').getBoundingClientRect().width,
          };
        })()`)) as { folded: boolean; overflow: boolean; linksEnd: number; userStart: number; userEnd: number; brand: number };
        const where = `${lang} at ${width}px`;
        expect(bar.overflow, where).toBe(false);
        if (bar.folded) {
          // folded only where the pages no longer fit (the menu button)
          expect(width, where).toBeLessThanOrEqual(1200);
          expect(await page.getByTestId('menu').isVisible(), where).toBe(true);
        } else {
          expect(bar.linksEnd, where).toBeLessThanOrEqual(bar.userStart);
          expect(bar.userEnd, where).toBeLessThanOrEqual(width);
          // the product name may give way to an ellipsis, its mark stays
          expect(bar.brand, where).toBeGreaterThanOrEqual(22);
        }
        if (lang === 'en' && width === 1240) await stack.screenshot(page, 'bar-admin-en-1240');
      }
      await page.setViewportSize({ width: 1920, height: 900 });
    }
    await context.close();
  });
});
