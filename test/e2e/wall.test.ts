// The wall screen at 1920×1080: full screen without scrolling, large type, and it rotates by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('wall screen', () => {
  it('renders at 1920×1080 and rotates through the boards with no interaction', async () => {
    const { context, page } = await stack.signIn('exec', { width: 1920, height: 1080, path: '/wall?interval=3' });
    await page.locator('.wall:not([data-updated=""])').waitFor();
    const title = page.getByTestId('slide-title');
    await title.getByText('核心指标').waitFor();
    // A string, because this project's Node code has no DOM types.
    const size = (await page.evaluate(`({
      scroll: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
      value: parseFloat(getComputedStyle(document.querySelector('[data-kpi=active_subscriptions]')).fontSize),
    })`)) as { scroll: number; width: number; value: number };
    expect(size.scroll).toBeLessThanOrEqual(1080);
    expect(size.width).toBeLessThanOrEqual(1920);
    expect(size.value).toBeGreaterThanOrEqual(60);
    await stack.screenshot(page, 'wall-overview');

    // The next board arrives on its own.
    await title.getByText('地市对比').waitFor({ timeout: 15_000 });
    await page.locator('.wall [data-ready=true]').first().waitFor();
    await stack.screenshot(page, 'wall-cities');
    await title.getByText('发展趋势').waitFor({ timeout: 15_000 });
    await context.close();
  });
});
