// Missing is not zero (kpis.md v2, extracts.md v2 "Empty and missing slices"): a city whose extract
// has not arrived has null figures and every KPI answer names the kind and the city in
// `missing_extracts`; a file that arrived with no rows is an empty slice, and its figures are 0.
// Through the query layer and the API, with the files loaded the way a user loads them (POST
// /api/ingest, which refreshes the models).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { ingestFile } from '../ingest/load.ts';
import { getKpis, missingExtracts } from '../queries/kpis.ts';
import { runModels } from '../warehouse/models.ts';
import { FIXTURES } from './helpers/temp-warehouse.ts';
import { runCliScript } from './helpers/run-command.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';

const CPL_HEAD = 'complaint_id,received_at,region_code,category,source';
const CITIES = ZHEJIANG_CITIES.map((c) => c.code);
const except = (...codes: string[]) => CITIES.filter((c) => !codes.includes(c));

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({
    serverFile: true,
    prepare: async (wh, dir) => {
      // September: subscribers of 330100 and 330300; complaints of 330300 only (two of them).
      const sub = join(dir, 'subscriber_ALL_202609.csv');
      copyFileSync(join(FIXTURES, 'ingest', 'subscriber_ALL_202609.csv'), sub);
      expect((await ingestFile(wh, sub)).status).toBe('loaded');
      writeFileSync(join(dir, 'complaint_330300_202609.csv'), [CPL_HEAD, 'Q1,2026-09-01 08:30,330300,billing,hotline', 'Q2,2026-09-02 09:00,330300,network,regulator', ''].join('\n'));
      expect((await ingestFile(wh, join(dir, 'complaint_330300_202609.csv'))).status).toBe('loaded');
      await runModels(wh);
    },
  });
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

const upload = {
  /** POST /api/ingest of one file, as an analyst would; the server refreshes the models before answering. */
  async send(name: string, lines: string[]) {
    const form = new FormData();
    form.append('files', new Blob([lines.join('\n') + '\n']), name);
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    expect(res.status).toBe(200);
    const [file] = ((await res.json()) as { files: { status: string; rows_loaded: number }[] }).files;
    expect(file!.status).toBe('loaded');
    return file!;
  },
};

interface KpiAnswer {
  period: string;
  region: string;
  segment?: string;
  kpis: Record<string, number | null>;
  missing_extracts: Record<string, string[]>;
}
async function apiKpis(query: string): Promise<KpiAnswer> {
  const res = await ts.fetch(`/api/kpis?${query}`, { as: 'exec' });
  expect(res.status).toBe(200);
  return (await res.json()) as KpiAnswer;
}

describe('missing_extracts', () => {
  it('names, per kind, the cities of the scope without a slice; an arrived kind is not listed', async () => {
    const wenzhou = await apiKpis('period=2026-09&region=330300');
    expect(Object.keys(wenzhou)).toEqual(['period', 'region', 'kpis', 'missing_extracts']);
    expect(wenzhou.missing_extracts).toEqual({ channel: ['330300'], revenue: ['330300'] });
    expect(wenzhou.kpis.complaints).toBe(2);
    expect(wenzhou.kpis.revenue).toBeNull();
    const hangzhou = await apiKpis('period=2026-09&region=330100');
    expect(hangzhou.missing_extracts).toEqual({ channel: ['330100'], complaint: ['330100'], revenue: ['330100'] });
    expect(hangzhou.kpis.active_subscriptions).toBe(2);
  });

  it('npm run kpis --json prints the same object through the running server', async () => {
    const r = await runCliScript('cli/kpis.ts', ['--db', ts.path, '--period', '2026-09', '--region', 'ALL', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await apiKpis('period=2026-09&region=ALL'));
  });

  it('for ALL, scopes the whole region list; the same object through getKpis, with a segment, and from missingExtracts', async () => {
    const all = await apiKpis('period=2026-09&region=ALL');
    const expected = { subscriber: except('330100', '330300'), channel: CITIES, complaint: except('330300'), revenue: CITIES };
    expect(all.missing_extracts).toEqual(expected);
    expect(Object.keys(all.missing_extracts)).toEqual(['subscriber', 'channel', 'complaint', 'revenue']);
    expect((await getKpis(ts.wh, { period: '2026-09', region: 'ALL' })).missing_extracts).toEqual(expected);
    const segment = await apiKpis('period=2026-09&region=330300&segment=household');
    expect(Object.keys(segment)).toEqual(['period', 'region', 'segment', 'kpis', 'missing_extracts']);
    expect(segment.missing_extracts).toEqual({ channel: ['330300'], revenue: ['330300'] });
    expect(await missingExtracts(ts.wh, '2026-09', '330300')).toEqual({ channel: ['330300'], revenue: ['330300'] });
    // A month nothing arrived for: every kind, every city.
    expect(await missingExtracts(ts.wh, '2031-01', 'ALL')).toEqual({ subscriber: CITIES, channel: CITIES, complaint: CITIES, revenue: CITIES });
    await expect(missingExtracts(ts.wh, '2026-9', 'ALL')).rejects.toThrow(/YYYY-MM/);
  });

  it('a late file: the city\'s figures of that kind are null and missing_extracts names the kind and the city, until it arrives', async () => {
    const before = await apiKpis('period=2026-09&region=330100');
    expect(before.missing_extracts.complaint).toEqual(['330100']);
    expect(before.kpis.complaints).toBeNull();
    expect(before.kpis.complaints_per_10k).toBeNull();
    expect((await getKpis(ts.wh, { period: '2026-09', region: '330100' })).kpis.complaints).toBeNull();
    await upload.send('complaint_330100_202609.csv', [CPL_HEAD, 'Q9,2026-09-15 10:00,330100,billing,hotline']);
    const after = await apiKpis('period=2026-09&region=330100');
    expect(after.missing_extracts).toEqual({ channel: ['330100'], revenue: ['330100'] });
    expect(after.kpis.complaints).toBe(1);
  });

  it('an empty region-month file replaces the city\'s rows: an empty slice, its figures 0 and not null, nothing missing', async () => {
    const file = await upload.send('complaint_330300_202609_resend.csv', [CPL_HEAD]);
    expect(file.rows_loaded).toBe(0);
    const slice = await ts.wh.one<{ rows: bigint }>(
      `select rows from load_slices where kind = 'complaint' and region_code = '330300' and period = date '2026-09-01' and superseded_by_load is null`,
    );
    expect(slice).toEqual({ rows: 0n });
    const wenzhou = await apiKpis('period=2026-09&region=330300');
    expect(wenzhou.kpis.complaints).toBe(0);
    expect(wenzhou.kpis.escalated_complaints).toBe(0);
    expect(wenzhou.missing_extracts).toEqual({ channel: ['330300'], revenue: ['330300'] });

    // The same for a subscriber file: 330100's September subscribers are replaced by none.
    await upload.send('subscriber_330100_202609.csv', ['period,subscription_id,customer_id,segment,region_code,service,activated_on']);
    const hangzhou = await apiKpis('period=2026-09&region=330100');
    expect(hangzhou.kpis.active_subscriptions).toBe(0);
    expect(hangzhou.missing_extracts).toEqual({ channel: ['330100'], revenue: ['330100'] });
  });

  it('a complaint ALL file gives each city it does not mention an empty slice: complaints 0, not missing', async () => {
    await upload.send('complaint_ALL_202608.csv', [CPL_HEAD, 'QA,2026-08-20 10:00,330300,billing,hotline']);
    expect((await getKpis(ts.wh, { period: '2026-08', region: 'ALL' })).missing_extracts).toEqual({
      subscriber: CITIES,
      channel: CITIES,
      revenue: CITIES,
    });
    const lishui = await apiKpis('period=2026-08&region=331100');
    expect(lishui.missing_extracts).toEqual({ subscriber: ['331100'], channel: ['331100'], revenue: ['331100'] });
    expect(lishui.kpis.complaints).toBe(0);
    expect((await apiKpis('period=2026-08&region=330300')).kpis.complaints).toBe(1);
  });
});
