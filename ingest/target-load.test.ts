// The `target` extract kind through the ordinary ingest (extracts.md v2, "target"): GBK with Chinese
// headers, a KPI by key or Chinese label, rates as fractions or percentages, years and months side by
// side, ALL for the province, and a re-send that replaces exactly the (region_code, period) slices it
// carries. Data-quality rules as for every kind: bad cells rejected with file, line, column and reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { tempWarehouse } from '../test/helpers/temp-warehouse.ts';
import { ingestFile } from './load.ts';

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
let wh: Warehouse;
beforeAll(async () => {
  ctx = await tempWarehouse();
  wh = ctx.wh;
});
afterAll(() => ctx.dispose());

function gbkFile(name: string, lines: string[]): string {
  const path = join(ctx.dir, name);
  writeFileSync(path, iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'));
  return path;
}

function utf8File(name: string, lines: string[]): string {
  const path = join(ctx.dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function targets(): Promise<string[]> {
  const rows = await wh.all<{ k: string }>(
    `select region_code || ' ' || period || ' ' || kpi || ' ' || target::varchar || ' ' || coalesce(weight::varchar, '-') as k
     from raw_target order by region_code, period, kpi`,
  );
  return rows.map((r) => r.k);
}

describe('ingest: target files', () => {
  it('loads a GBK file with Chinese headers: keys or Chinese labels, 2% as 0.02, years and months, ALL', async () => {
    const file = gbkFile('target_ALL_2026.csv', [
      '地市编码,考核期,指标,目标值,权重',
      '330300,2026,离网率,1.5%,20',
      '330300,2026,revenue,"12,000,000.50",30',
      '330300,2026-09,churn_rate,0.02,25',
      'ALL,2026,escalated_complaints,120,',
      'all,202609,越级投诉量,10,5',
    ]);
    const r = await ingestFile(wh, file);
    expect(r).toMatchObject({ status: 'loaded', kind: 'target', rows_loaded: 5, rows_rejected: 0 });
    // Slices are (region_code, period) as written: a year and a month of 330300 are two slices.
    expect(r.slices).toEqual([
      { region_code: '330300', period: '2026' },
      { region_code: 'ALL', period: '2026' },
      { region_code: '330300', period: '2026-09' },
      { region_code: 'ALL', period: '2026-09' },
    ]);
    expect(await targets()).toEqual([
      '330300 2026 churn_rate 0.01500000 20.00000000',
      '330300 2026 revenue 12000000.50000000 30.00000000',
      '330300 2026-09 churn_rate 0.02000000 25.00000000',
      'ALL 2026 escalated_complaints 120.00000000 -',
      'ALL 2026-09 escalated_complaints 10.00000000 5.00000000',
    ]);
    const history = await wh.all<{ k: string }>(
      `select region_code || ' ' || period_text || ' ' || strftime(period, '%Y-%m-%d') as k from load_slices where load_id = $id order by 1`,
      { id: r.load_id },
    );
    expect(history.map((h) => h.k)).toEqual(['330300 2026 2026-01-01', '330300 2026-09 2026-09-01', 'ALL 2026 2026-01-01', 'ALL 2026-09 2026-09-01']);
  });

  it('a re-send of a region’s annual targets replaces those and leaves its monthly ones and other regions', async () => {
    const file = utf8File('target_330300_2026.csv', ['region_code,period,kpi,target,weight', '330300,2026,churn_rate,0.018,40']);
    const r = await ingestFile(wh, file);
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 1 });
    expect(r.slices).toEqual([{ region_code: '330300', period: '2026' }]);
    expect(await targets()).toEqual([
      '330300 2026 churn_rate 0.01800000 40.00000000',
      '330300 2026-09 churn_rate 0.02000000 25.00000000',
      'ALL 2026 escalated_complaints 120.00000000 -',
      'ALL 2026-09 escalated_complaints 10.00000000 5.00000000',
    ]);
    // The first load lost one slice of four: not superseded as a whole.
    const lost = await wh.all<{ k: string }>(
      `select region_code || ' ' || period_text as k from load_slices where superseded_by_load = $id`,
      { id: r.load_id },
    );
    expect(lost.map((x) => x.k)).toEqual(['330300 2026']);
  });

  it('rejects an unknown KPI as bad_enum, a bad period, a bad number, a negative weight and an unknown region, by line and column', async () => {
    const lines = ['region_code,period,kpi,target,weight'];
    const regions = ['330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100'];
    for (const r of regions) for (const k of ['revenue', 'churn_rate', 'gross_adds', 'complaints']) lines.push(`${r},2027,${k},100,1`);
    // 44 good rows, then the bad ones (5 of 49 is over 5%, so raise the threshold for this file).
    lines.push('330100,2027,no_such_kpi,1,1'); // line 46
    lines.push('330100,2027-13,revenue,1,1'); // line 47
    lines.push('330200,2027-01,revenue,abc,1'); // line 48
    lines.push('330300,2027-01,revenue,5,-1'); // line 49
    lines.push('999999,2027,revenue,5,1'); // line 50
    const file = utf8File('target_ALL_2027.csv', lines);
    const r = await ingestFile(wh, file, { rejectThreshold: 0.2 });
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 44, rows_rejected: 5 });
    const rejects = await wh.all<{ line: bigint; column: string; value: string; reason: string; message: string }>(
      `select line, "column", value, reason, message from rejects where load_id = $id order by line`,
      { id: r.load_id },
    );
    expect(rejects.map((x) => [Number(x.line), x.column, x.value, x.reason])).toEqual([
      [46, 'kpi', 'no_such_kpi', 'bad_enum'],
      [47, 'period', '2027-13', 'bad_date'],
      [48, 'target', 'abc', 'bad_number'],
      [49, 'weight', '-1', 'bad_value'],
      [50, 'region_code', '999999', 'unknown_region'],
    ]);
    expect(rejects[0]!.message).toContain('no_such_kpi');
    expect(rejects[0]!.message).toContain('不是指标目录中的指标');
  });

  it('rejects a key repeated inside the file on every line carrying it', async () => {
    const file = utf8File('target_330500_2028.csv', [
      'region_code,period,kpi,target',
      '330500,2028,revenue,1',
      '330500,2028,出账收入,2',
      ...Array.from({ length: 40 }, (_v, i) => `330500,2028-${String((i % 12) + 1).padStart(2, '0')},${['gross_adds', 'complaints', 'churned', 'net_adds'][Math.floor(i / 12)]},1`),
    ]);
    const r = await ingestFile(wh, file, { rejectThreshold: 0.2 });
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 40, rows_rejected: 2 });
    const rejects = await wh.all<{ line: bigint; column: string; reason: string; value: string }>(
      `select line, "column", reason, value from rejects where load_id = $id order by line`,
      { id: r.load_id },
    );
    expect(rejects.map((x) => [Number(x.line), x.column, x.reason, x.value])).toEqual([
      [2, 'kpi', 'duplicate_key', '330500 / 2028 / revenue'],
      [3, 'kpi', 'duplicate_key', '330500 / 2028 / revenue'],
    ]);
  });
});
