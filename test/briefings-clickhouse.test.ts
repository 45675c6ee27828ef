// The briefing on the ClickHouse engine (issue 12 × issue 13): the same demo extracts loaded into a
// DuckDB warehouse and, through the real ingest, into one on a real local two-shard cluster; the
// month's escalated complaints — read from the complaints themselves, not a mart — are the same list
// on both engines, and the briefing renders there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../briefings/pdf.ts';
import { escalatedComplaints, gatherBriefing } from '../briefings/content.ts';
import { queryLayerSource } from '../briefings/kpi-source.ts';
import { seedDemoWarehouse } from '../demo/seed.ts';
import { getKpis } from '../queries/kpis.ts';
import { Warehouse } from '../warehouse/db.ts';
import { runModels } from '../warehouse/models.ts';
import { ingestFile } from '../ingest/load.ts';
import { useClickhouseCluster } from './helpers/clickhouse.ts';
import { pdfText } from './helpers/pdf-tools.ts';
import { tempDir, tempWarehouse } from './helpers/temp-warehouse.ts';

const cluster = useClickhouseCluster();

let duck: Awaited<ReturnType<typeof tempWarehouse>>;
let ch: Warehouse;
const dir = tempDir('chbrief-');

beforeAll(async () => {
  const options = { subscribers: 3000, months: 2, end: '2026-09', seed: 1 };
  duck = await tempWarehouse();
  await seedDemoWarehouse(duck.wh, { ...options, out: join(duck.dir, 'extracts') });
  ch = await Warehouse.open({ path: join(dir.dir, 'control.duckdb'), memoryLimit: '512MB', threads: 2, engine: 'clickhouse', clickhouse: cluster.settings('briefing') });
  await seedDemoWarehouse(ch, { ...options, out: join(dir.dir, 'extracts') });
  // Wenzhou's September complaints re-sent with two escalations (the small demo has few): one from the
  // regulator resolved in time, one from the media still open past its deadline at the month's end.
  for (const [wh, folder] of [[duck.wh, duck.dir], [ch, dir.dir]] as const) {
    const file = join(folder, 'complaint_330300_202609.csv');
    writeFileSync(
      file,
      'complaint_id,received_at,region_code,category,source,resolved_at\n' +
        'CH-1,2026-09-05 10:00:00,330300,billing,regulator,2026-09-05 18:00:00\n' +
        'CH-2,2026-09-20 09:30:00,330300,network,media,\n' +
        'CH-3,2026-09-21 11:00:00,330300,network,hotline,\n',
    );
    const loaded = await ingestFile(wh, file);
    expect(loaded.status).toBe('loaded');
    await runModels(wh, { slices: loaded.slices.map((sl) => ({ kind: 'complaint' as const, ...sl })) });
  }
}, 600_000);

afterAll(() => {
  ch?.close();
  dir.remove();
  duck?.dispose();
});

describe('escalatedComplaints on the ClickHouse engine', () => {
  it('lists the same escalated complaints as the DuckDB engine, as many as the escalated-complaint figure, and the briefing renders', async () => {
    let listed = 0;
    for (const period of ['2026-08', '2026-09']) {
      for (const region of ['ALL', '330300', '330100']) {
        const [d, c] = [await escalatedComplaints(duck.wh, region, period, {}, 11), await escalatedComplaints(ch, region, period, {}, 11)];
        expect(c, `${period} ${region}`).toEqual(d);
        const { kpis } = await getKpis(ch, { period, region });
        expect(c!.total, `${period} ${region}`).toBe(kpis.escalated_complaints);
        if (region === 'ALL') listed += c!.total;
      }
    }
    expect(listed).toBeGreaterThanOrEqual(2);
    expect((await escalatedComplaints(ch, '330300', '2026-09', {}, 11))!.rows).toEqual([
      { complaint_id: 'CH-1', received_at: '2026-09-05 10:00:00', region_code: '330300', category: 'billing', source: 'regulator', status: 'resolved' },
      { complaint_id: 'CH-2', received_at: '2026-09-20 09:30:00', region_code: '330300', category: 'network', source: 'media', status: 'overdue' },
    ]);
    const period = '2026-09';
    const province = await escalatedComplaints(ch, 'ALL', period, {}, 11);
    const data = await gatherBriefing(ch, queryLayerSource(ch), { region: 'ALL', period });
    const text = pdfText(await renderPdf(data)).replace(/\s+/g, '');
    expect(text).toContain(`本月越级投诉清单共${province!.total}件`);
    expect(text).toContain(province!.rows[0]!.complaint_id);
  }, 300_000);
});
