// What "fits" means on a screen, measured in the page: nothing wider than the window, every chart
// inside its panel (or wall figure, or tile) and filling its own box rather than squeezed to a sliver,
// every figure (a tile's value and its change) on one line inside its tile and clear of the figures
// beside it. Each check returns how many things it measured, so a test can insist on a number above
// zero and never pass because there was nothing to look at.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export interface LayoutReport {
  /** document.documentElement.scrollWidth and window.innerWidth. */
  scrollWidth: number;
  innerWidth: number;
  /** Tiles, charts (svg/canvas of vega) and figures measured. */
  tiles: number;
  charts: number;
  figures: number;
  /** One line per thing that does not fit, naming it. */
  problems: string[];
}

/** Pixels of slack for sub-pixel layout. */
const SLACK = 1;

// A string, because this project's Node code has no DOM types; run in the page.
const MEASURE = `(() => {
  const slack = ${SLACK};
  const problems = [];
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = (el) => {
    const tile = el.closest('[data-tile]');
    const box = el.closest('[data-panel], figure');
    const where = tile ? 'tile ' + tile.dataset.tile : box ? (box.dataset.panel ? 'panel ' + box.dataset.panel : 'figure ' + (box.querySelector('figcaption')?.textContent ?? '')) : 'page';
    const what = el.dataset.kpi ? 'value ' + el.dataset.kpi : el.dataset.change ? 'change ' + el.dataset.change : el.closest('[data-testid]')?.dataset.testid ?? el.closest('[aria-label]')?.getAttribute('aria-label') ?? el.tagName;
    return where + ': ' + what;
  };
  const r = (b) => '[' + [b.left, b.top, b.right, b.bottom].map((v) => Math.round(v)).join(', ') + ']';
  const inside = (inner, outer) => inner.left >= outer.left - slack && inner.right <= outer.right + slack && inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
  const overlap = (a, b) => a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;

  const tiles = [...document.querySelectorAll('[data-tile]')].filter(visible);
  let figures = 0;
  for (const tile of tiles) {
    const tb = tile.getBoundingClientRect();
    const texts = [...tile.querySelectorAll('[data-kpi], [data-change]')].filter(visible);
    for (const el of texts) {
      figures++;
      const b = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth) problems.push(name(el) + ' needs ' + el.scrollWidth + ' px, has ' + el.clientWidth);
      if (!inside(b, tb)) problems.push(name(el) + ' ' + r(b) + ' outside its tile ' + r(tb));
    }
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].getBoundingClientRect(), b = texts[j].getBoundingClientRect();
        if (overlap(a, b)) problems.push(name(texts[i]) + ' ' + r(a) + ' overlaps ' + name(texts[j]) + ' ' + r(b));
      }
  }

  const charts = [...document.querySelectorAll('.chart .vega-embed > svg, .chart .vega-embed > canvas')].filter(visible);
  for (const el of charts) {
    const b = el.getBoundingClientRect();
    const target = el.parentElement.getBoundingClientRect();
    const box = el.closest('[data-tile], [data-panel], figure');
    if (!box) {
      problems.push(name(el) + ' is in no panel');
      continue;
    }
    const pb = box.getBoundingClientRect();
    if (!inside(b, pb)) problems.push(name(el) + ' ' + r(b) + ' outside its box ' + r(pb));
    // Filling its own box: a chart drawn for another width is squeezed, or runs out of it.
    if (Math.abs(b.width - target.width) > 2) problems.push(name(el) + ' is ' + Math.round(b.width) + ' px wide in a box of ' + Math.round(target.width));
    // And that box is no sliver of its panel.
    if (target.width < Math.min(200, pb.width * 0.4)) problems.push(name(el) + ' squeezed to ' + Math.round(target.width) + ' px of ' + Math.round(pb.width));
  }

  // Whatever sticks out past the screen's right edge, innermost first (the rest only contain it).
  // (Not what a scrolling box of the page holds, such as a wide table in its own scroller.)
  const scrolled = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const past = [...document.body.querySelectorAll('*')].filter((e) => visible(e) && e.getBoundingClientRect().right > screen.width + slack && !e.closest('.sr-only') && !scrolled(e));
  for (const el of past.filter((e) => !past.some((o) => o !== e && e.contains(o))).slice(0, 5)) {
    problems.push((el.tagName + '.' + el.className).slice(0, 60) + ' "' + (el.textContent ?? '').trim().slice(0, 30) + '" ends at ' + Math.round(el.getBoundingClientRect().right) + ' px, past the screen (' + screen.width + ')');
  }

  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    tiles: tiles.length,
    charts: charts.length,
    figures,
    problems,
  };
})()`;

export async function measureLayout(page: Page): Promise<LayoutReport> {
  return (await page.evaluate(MEASURE)) as LayoutReport;
}

/** Every chart on the page drawn (none still waiting for vega or its data), at least `min` of them. */
export async function chartsReady(page: Page, min = 1): Promise<void> {
  await page.waitForFunction(
    `(() => { const c = [...document.querySelectorAll('.chart[data-ready]')]; return c.length >= ${min} && c.every((e) => e.dataset.ready === 'true'); })()`,
    null,
    { timeout: 30_000 },
  );
}

/**
 * Waits (charts re-fit a frame or two after their box changes) until the page fits: no horizontal
 * scrolling, no chart or figure out of its box; and at least `min` tiles, charts and figures measured.
 * `width` is the window's width in CSS pixels: a phone (mobile emulation) widens its layout viewport
 * to a page wider than the screen, so "scrollWidth ≤ innerWidth" alone would pass there.
 * Fails with the list of what does not fit.
 */
export async function expectFits(page: Page, label: string, min: { tiles: number; charts: number; width: number }): Promise<LayoutReport> {
  let last: LayoutReport | null = null;
  try {
    await expect
      .poll(
        async () => {
          last = await measureLayout(page);
          return last.problems.length === 0 && last.scrollWidth <= last.innerWidth && last.innerWidth === min.width;
        },
        { timeout: 8_000, interval: 250 },
      )
      .toBe(true);
  } catch {
    // Reported below with what does not fit.
  }
  const report = last ?? (await measureLayout(page));
  expect(report.problems, `${label}: what does not fit`).toEqual([]);
  expect(report.innerWidth, `${label}: the window's width`).toBe(min.width);
  expect(report.scrollWidth, `${label}: page width (scrollWidth) within the window`).toBeLessThanOrEqual(report.innerWidth);
  expect(report.tiles, `${label}: tiles measured`).toBeGreaterThanOrEqual(min.tiles);
  expect(report.charts, `${label}: charts measured`).toBeGreaterThanOrEqual(min.charts);
  if (min.tiles > 0) expect(report.figures, `${label}: figures measured`).toBeGreaterThan(0);
  return report;
}
