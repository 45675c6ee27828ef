// The analyst's pages in a real browser. SQL console: run with Ctrl+Enter, see rows in the grid, chart
// them, download a CSV that Excel opens in Chinese (UTF-8 BOM), find the query in the history. Data
// page: upload an extract, watch it load, read its rejected rows, see what it superseded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const QUERY = `select r.name_zh as city, count(*) as subscriptions
from raw_subscriber s join regions r on r.code = s.region_code
group by all order by subscriptions desc`;

describe('SQL console', () => {
  it('runs a query, shows the rows, charts them and exports a CSV with a BOM', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/sql' });
    const editor = page.getByTestId('sql-editor');
    await editor.waitFor();
    // Completion knows the warehouse's tables once the schema has loaded.
    await page.getByTestId('schema-tree').getByRole('button', { name: 'raw_subscriber', exact: true }).waitFor();

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(QUERY);
    await page.keyboard.press('Control+Enter');

    const grid = page.getByTestId('result-grid');
    await expect.poll(() => grid.getAttribute('data-rows')).toBe('11');
    await grid.getByText('温州市').waitFor();
    await page.getByTestId('sql-status').getByText('11').waitFor();
    await stack.screenshot(page, 'sql-console');

    await page.getByTestId('chart-tab').click();
    await page.locator('[data-testid=quick-chart][data-ready=true] canvas').waitFor();
    expect(await page.getByTestId('chart-x').inputValue()).toBe('city');
    expect(await page.getByTestId('chart-y').inputValue()).toBe('subscriptions');
    await stack.screenshot(page, 'sql-console-chart');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('city,subscriptions');
    expect(text).toContain('温州市');
    expect(download.suggestedFilename()).toMatch(/^query-\d{8}-\d{6}\.csv$/);

    // XLSX: a real workbook, Chinese text and numbers as numbers.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsx.path())!);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'city', 'subscriptions']);
    expect(sheet.rowCount).toBe(12);
    const cities = Array.from({ length: 11 }, (_, i) => sheet.getRow(i + 2).getCell(1).value);
    expect(cities).toContain('温州市');
    expect(typeof sheet.getRow(2).getCell(2).value).toBe('number');

    await page.getByTestId('history-tab').click();
    await page.getByTestId('history').getByText('raw_subscriber s join regions', { exact: false }).first().waitFor();
    await context.close();
  });

  it('scrolls 100,000 rows with only the visible ones in the page, and cancels a long query', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/sql' });
    const editor = page.getByTestId('sql-editor');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select range as n, range * 2 as twice, \'第\' || range || \'行\' as label from range(100000)');
    await page.keyboard.press('Control+Enter');
    const grid = page.getByTestId('result-grid');
    await expect.poll(() => grid.getAttribute('data-rows')).toBe('100000');
    // Virtualised: a few dozen rows in the page, not 100,000.
    expect(await grid.locator('[role=row]').count()).toBeLessThan(80);
    await grid.evaluate((el: { scrollTop: number; scrollHeight: number }) => {
      el.scrollTop = el.scrollHeight;
    });
    await grid.getByText('第99999行').waitFor();
    expect(await grid.locator('[role=row]').count()).toBeLessThan(80);

    // A query that would run for minutes: cancel stops it, and the (single) SQL connection is free again.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select sum(a.range * b.range) as s from range(200000) a, range(200000) b');
    await page.getByTestId('run').click();
    await page.getByTestId('sql-status').getByText('运行中').waitFor();
    await page.getByTestId('cancel').click();
    await expect.poll(() => page.getByTestId('run').isEnabled()).toBe(true);
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select 42 as answer');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => grid.getAttribute('data-rows')).toBe('1');
    await grid.getByText('42').waitFor();
    await context.close();
  });

  it('shows the error of a bad query and keeps the console usable', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/sql' });
    const editor = page.getByTestId('sql-editor');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('select * from no_such_table');
    await page.getByTestId('run').click();
    await page.getByTestId('sql-error').waitFor();
    await context.close();
  });
});

/** Huzhou's September subscribers re-sent with two broken rows (well under the 5% refusal threshold). */
function huzhouWithTwoBadRows(): string {
  const lines = readFileSync(join(stack.extracts, 'subscriber_ALL_202609.csv'), 'utf8').trimEnd().split('\n');
  const rows = lines.slice(1).filter((l) => l.split(',')[4] === '330500');
  const bad = (row: string, column: number, value: string) => row.split(',').map((v, i) => (i === column ? value : v)).join(',');
  rows[3] = bad(rows[3]!, 3, 'student'); // segment
  rows[7] = bad(rows[7]!, 9, '2026-02-30'); // activated_on
  const file = join(stack.dir, 'subscriber_330500_202609.csv');
  writeFileSync(file, [lines[0], ...rows].join('\n') + '\n');
  return file;
}

describe('data page', () => {
  it('uploads an extract, shows its result and rejected rows, and the superseded slice in the history', async () => {
    const { context, page } = await stack.signIn('analyst', { path: '/data' });
    await page.getByTestId('load-history').locator('tbody tr').first().waitFor();
    await page.getByTestId('file-input').setInputFiles(huzhouWithTwoBadRows());
    const upload = page.getByTestId('uploads').locator('li[data-status=loaded]');
    await upload.waitFor();
    const rejects = upload.getByTestId('rejects');
    await rejects.getByText('bad_enum').waitFor();
    await rejects.locator('td.value', { hasText: 'student' }).waitFor();
    await rejects.getByText('bad_date').waitFor();
    // Line numbers as a spreadsheet shows them: header = 1, so the 4th data row is line 5.
    await rejects.locator('td', { hasText: /^5$/ }).waitFor();
    await rejects.locator('td', { hasText: /^9$/ }).waitFor();
    // The earlier province file lost Huzhou's September slice to this load.
    await page.getByTestId('load-history').locator('.slice.gone', { hasText: '湖州市' }).waitFor();
    await stack.screenshot(page, 'data-upload');

    // The same file dropped on the page (drag and drop) is recognised as a duplicate of that load.
    const file = join(stack.dir, 'subscriber_330500_202609.csv');
    const transfer = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(readFileSync(file, 'utf8'))}], 'subscriber_330500_202609.csv', { type: 'text/csv' })); return dt; })()`,
    );
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('uploads').locator('li[data-status=duplicate]').waitFor();
    await context.close();
  });
});
