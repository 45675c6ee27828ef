// The built dashboard works under the server's Content-Security-Policy: the board renders its
// figures and charts with no policy violation reported by the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('the content security policy', () => {
  it('lets the board render its charts without a violation', async () => {
    const { context, page } = await stack.signIn('exec');
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|unsafe-eval|EvalError/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    // Reload with the listeners in place, so the whole start-up runs under watch.
    await page.reload();
    await page.locator('.board:not([data-updated=""])').waitFor();
    await page.locator('.vega-embed svg, .vega-embed canvas').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    expect(problems).toEqual([]);
    await context.close();
  });
});
