// Targets on the boards and the 排名 league page (issue 12, item 2), in a real Chromium against the real
// server: each headline tile with a target says its target and attainment and takes its status colour,
// as GET /api/targets judges them; the trend draws the target line; the league page ranks the cities
// by the scorecard and any KPI by its direction; a regional user sees their own score and rank
// ("第 3 / 11 名") and never another city's score or figures — on the page and from the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorecardResult, TargetsResult } from '../../domain/targets.ts';
import { foreignNames } from '../helpers/briefing-scope.ts';
import { apiGet, apiSession, startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const PERIOD = '2026-09';
const OWN = '330300';

describe('targets on the board', () => {
  it('shows each judged headline figure’s target and attainment, coloured by the status /api/targets gives', async () => {
    const cookie = await apiSession(stack.url, 'exec');
    const { body: targets } = await apiGet<TargetsResult>(stack.url, cookie, `/api/targets?period=${PERIOD}&region=ALL`);
    const judged = targets.rows.filter((r) => ['revenue', 'convergence_rate', 'complaints_per_10k', 'escalated_complaints'].includes(r.kpi));
    expect(judged.length).toBeGreaterThanOrEqual(3);

    const { context, page } = await stack.signIn('exec', { width: 1440, height: 1000, path: `/?period=${PERIOD}` });
    try {
      for (const row of judged) {
        const line = page.locator(`[data-target="${row.kpi}"]`);
        await line.waitFor();
        const text = await line.innerText();
        expect(text, row.kpi).toMatch(/目标/);
        // Attainment (a month's target) or the year's completion (a year's total), as the API says.
        const share = row.ytd !== null ? row.completion : row.attainment;
        expect(text, row.kpi).toContain(`${(share! * 100).toFixed(1)}%`);
        const tile = page.locator(`[data-tile="${row.kpi}"]`);
        expect(await tile.getAttribute('data-status'), row.kpi).toBe(row.status);
      }
      // The trend of a judged figure draws its target as a dashed line.
      await page.locator('[data-testid=trend-key]').selectOption('revenue');
      // A horizontal line has no height: attached, not "visible", is what can be waited for.
      await page.locator('[data-testid=trend-chart] svg [stroke-dasharray="6,4"]').first().waitFor({ state: 'attached' });
      expect(await page.locator('[data-testid=trend-chart] svg').innerHTML()).toContain('目标');
      await stack.screenshot(page, 'board-targets');
    } finally {
      await context.close();
    }
  });
});

describe('the league page (排名)', () => {
  it('ranks the cities by score for an executive, and any KPI by its direction', async () => {
    const cookie = await apiSession(stack.url, 'exec');
    const { body: scorecard } = await apiGet<ScorecardResult>(stack.url, cookie, `/api/scorecard?period=${PERIOD}`);
    expect(scorecard.rows).toHaveLength(11);
    const { context, page } = await stack.signIn('exec', { width: 1440, height: 1000, path: `/league?period=${PERIOD}` });
    try {
      const rows = page.locator('[data-testid=scorecard] tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(11);
      // The page's order and ranks are the API's.
      const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-region'), tr.querySelector('td')!.textContent!.trim()]));
      expect(shown).toEqual(scorecard.rows.map((r) => [r.region_code, String(r.rank ?? '—')]));
      // Churn is ranked lowest first.
      await page.locator('[data-testid=league-kpi]').selectOption('churn_rate');
      await page.getByText('越低越好').waitFor();
      const { body: ranking } = await apiGet<{ rows: { region_code: string }[] }>(stack.url, cookie, `/api/kpis/ranking?key=churn_rate&period=${PERIOD}`);
      await page.locator(`[data-testid=kpi-ranking] tbody tr[data-region="${ranking.rows[0]!.region_code}"]`).waitFor();
      const order = await page.locator('[data-testid=kpi-ranking] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-region')));
      expect(order).toEqual(ranking.rows.map((r) => r.region_code));
      // A city picked in the league shows its targets.
      await page.locator(`[data-testid=scorecard] tr[data-region="${OWN}"] button`).click();
      await page.locator('[data-testid=league-targets] tbody tr[data-kpi="churn_rate"]').waitFor();
      await stack.screenshot(page, 'league-executive');
    } finally {
      await context.close();
    }
  });

  it('gives a regional user their own score and rank, and nothing of another city', async () => {
    const cookie = await apiSession(stack.url, 'wenzhou');
    const own = await apiGet<TargetsResult>(stack.url, cookie, `/api/targets?period=${PERIOD}`);
    expect(own.status).toBe(200);
    expect(own.body.region).toBe(OWN);
    expect(own.body.rank).not.toBeNull();
    expect((await apiGet(stack.url, cookie, `/api/scorecard?period=${PERIOD}`)).status).toBe(403);
    expect((await apiGet(stack.url, cookie, `/api/targets?period=${PERIOD}&region=330100`)).status).toBe(403);
    expect((await apiGet(stack.url, cookie, `/api/targets?period=${PERIOD}&region=ALL`)).status).toBe(403);

    const { context, page } = await stack.signIn('wenzhou', { width: 1280, height: 900, path: `/league?period=${PERIOD}` });
    try {
      const rank = page.locator('[data-testid=league-rank]');
      await rank.waitFor();
      expect(await rank.innerText()).toBe(`第 ${own.body.rank} / ${own.body.ranked} 名`);
      expect(await page.locator('[data-testid=league-score]').innerText()).toBe(own.body.score!.toFixed(1));
      await page.locator('[data-testid=league-targets] tbody tr').first().waitFor();
      expect(await page.locator('[data-testid=scorecard]').count()).toBe(0);
      expect(await page.locator('[data-testid=kpi-ranking]').count()).toBe(0);
      // Nothing on the page names another city (nor the province).
      expect(foreignNames(await page.locator('main').innerText(), OWN)).toEqual([]);

      // The board: their own standing, and still no other city.
      await page.goto(`${stack.url}/?period=${PERIOD}`);
      const standing = page.locator('[data-testid=board-standing]');
      await standing.waitFor();
      expect(await standing.innerText()).toContain(`第 ${own.body.rank} / ${own.body.ranked} 名`);
      await page.locator('[data-target]').first().waitFor();
      expect(foreignNames(await page.locator('main').innerText(), OWN)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
