// A load through the API updates a board that is already open: no reload, a new "updated at" time,
// the changed tiles flashed, the new figures equal to /api/kpis.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../charts/format.ts';
import { apiGet, apiSession, startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** Wenzhou's September subscribers, re-sent with its last `drop` rows missing: a corrected slice. */
function correctedWenzhou(drop: number): string {
  const lines = readFileSync(join(stack.extracts, 'subscriber_ALL_202609.csv'), 'utf8').trimEnd().split('\n');
  const rows = lines.slice(1).filter((l) => l.split(',')[4] === '330300');
  const file = join(stack.dir, 'subscriber_330300_202609.csv');
  writeFileSync(file, [lines[0], ...rows.slice(0, rows.length - drop)].join('\n') + '\n');
  return file;
}

describe('live board', () => {
  it('refreshes itself when a load lands', async () => {
    const { context, page } = await stack.signIn('exec');
    await page.locator('.board:not([data-updated=""])').waitFor();
    const tile = page.locator('[data-kpi=active_subscriptions]');
    const before = await tile.textContent();
    const updatedBefore = await page.getByTestId('updated-at').getAttribute('datetime');
    // Set in the page: a reload would lose it. (Strings, because this project's Node code has no DOM types.)
    await page.evaluate('window.__sameDocument = true');

    const cookie = await apiSession(stack.url, 'analyst');
    const form = new FormData();
    const file = correctedWenzhou(40);
    form.append('files', new Blob([readFileSync(file)], { type: 'text/csv' }), 'subscriber_330300_202609.csv');
    const res = await fetch(`${stack.url}/api/ingest`, { method: 'POST', headers: { cookie }, body: form });
    const summary = (await res.json()) as { files: { status: string }[] };
    expect(summary.files[0]!.status).toBe('loaded');

    const after = await apiGet<{ kpis: Record<string, number> }>(stack.url, cookie, '/api/kpis?period=2026-09&region=ALL');
    const expected = formatValue(after.body.kpis.active_subscriptions, 'count', 'zh');
    expect(expected).not.toBe(before);
    await expect.poll(() => tile.textContent()).toBe(expected);
    await page.locator('[data-tile=active_subscriptions].changed').waitFor();
    expect(await page.getByTestId('updated-at').getAttribute('datetime')).not.toBe(updatedBefore);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await stack.screenshot(page, 'board-live-update');
    await context.close();
  });
});
