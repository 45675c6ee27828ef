// `npm run bench -- briefings [--subscribers N] [--months M] [--threads T] [--json]`: every briefing of
// the last month — the province and each city, PDF and XLSX — from a demo warehouse of N subscriptions
// (default 1,000,000 × 12 months), the way `npm run briefings` makes them; then a cached re-download
// over HTTP from the real server. Beside them, the floor: the figures alone, read through the query
// layer without rendering anything.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BriefingService } from '../briefings/cache.ts';
import { gatherBriefing } from '../briefings/content.ts';
import { queryLayerSource } from '../briefings/kpi-source.ts';
import { startServer } from '../server/runtime.ts';
import { normalizeServerSettings } from '../server/settings.ts';
import { Warehouse } from '../warehouse/db.ts';
import { listRegions } from '../warehouse/regions.ts';
import { flag, numberOption } from './args.ts';
import { BENCH_END, BENCH_OUT, buildDemoWarehouse } from './demo-warehouse.ts';


interface Options {
  subscribers: number;
  months: number;
  threads: number;
  downloads: number;
  json: boolean;
}

function parse(args: string[]): Options {
  return {
    subscribers: numberOption(args, 'subscribers', 1_000_000),
    months: numberOption(args, 'months', 12),
    threads: numberOption(args, 'threads', 2),
    downloads: numberOption(args, 'downloads', 48),
    json: flag(args, 'json'),
  };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

/** The demo warehouse for these options, built once and kept in bench/out (it takes minutes at 1M). */
function warehouseFor(o: Options): Promise<string> {
  const name = `briefings-${o.subscribers}-${o.months}`;
  return buildDemoWarehouse(join(BENCH_OUT, `${name}.duckdb`), join(BENCH_OUT, `${name}-extracts`), { subscribers: o.subscribers, months: o.months, end: BENCH_END });
}

export async function main(args: string[]): Promise<void> {
  const o = parse(args);
  mkdirSync(BENCH_OUT, { recursive: true });
  const path = await warehouseFor(o);
  const wh = await Warehouse.open({ path, memoryLimit: '4GB' });
  const regions = ['ALL', ...(await listRegions(wh)).map((r) => r.code)];

  // The floor: the figures of all twelve through the query layer, nothing rendered.
  let t0 = performance.now();
  for (const region of regions) await gatherBriefing(wh, queryLayerSource(wh), { region, period: BENCH_END });
  const gatherMs = performance.now() - t0;

  // Cold: a fresh service (worker threads start inside the measurement), as `npm run briefings` runs.
  const service = new BriefingService({ threads: o.threads });
  const sizes = { pdf: [] as number[], xlsx: [] as number[] };
  t0 = performance.now();
  const queue = [...regions];
  const lane = async () => {
    for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
      sizes.pdf.push((await service.get(wh, region, BENCH_END, 'pdf')).byteLength);
      sizes.xlsx.push((await service.get(wh, region, BENCH_END, 'xlsx')).byteLength);
    }
  };
  await Promise.all(Array.from({ length: o.threads }, lane));
  const allMs = performance.now() - t0;

  // Cached re-download: the real server and route, an admin's token, the briefing already rendered.
  const settings = normalizeServerSettings(path, {}, { host: '127.0.0.1', port: 0 });
  const server = await startServer({
    warehouse: wh,
    settings,
    serverFile: false,
    briefings: (w, region, period, format) => service.get(w, region, period, format),
    logger: { info: () => {}, error: (m) => console.error(m) },
  });
  const downloads: number[] = [];
  try {
    // One request first, not counted: the server's first answer pays for warming up its own code paths.
    await (await fetch(`${server.url}/api/briefings/ALL/${BENCH_END}.xlsx`, { headers: { authorization: `Bearer ${server.token}` } })).arrayBuffer();
    for (let i = 0; i < o.downloads; i++) {
      const region = regions[i % regions.length]!;
      const started = performance.now();
      const res = await fetch(`${server.url}/api/briefings/${region}/${BENCH_END}.pdf`, { headers: { authorization: `Bearer ${server.token}` } });
      const bytes = await res.arrayBuffer();
      downloads.push(performance.now() - started);
      if (res.status !== 200 || bytes.byteLength === 0) throw new Error(`GET ${region}: HTTP ${res.status}`);
    }
  } finally {
    await server.close();
    await service.close();
    wh.close();
  }
  if (service.stats().renders !== regions.length * 2) throw new Error(`expected ${regions.length * 2} renders, saw ${service.stats().renders}`);

  const kb = (xs: number[]) => Math.round(Math.max(...xs) / 1024);
  const result = {
    bench: 'briefings',
    subscribers: o.subscribers,
    months: o.months,
    period: BENCH_END,
    briefings: regions.length,
    threads: o.threads,
    all_s: Number((allMs / 1000).toFixed(2)),
    per_briefing_ms: Math.round(allMs / regions.length),
    gather_only_s: Number((gatherMs / 1000).toFixed(2)),
    cached_download_median_ms: Number(quantile(downloads, 0.5).toFixed(1)),
    cached_download_p95_ms: Number(quantile(downloads, 0.95).toFixed(1)),
    cached_download_max_ms: Number(Math.max(...downloads).toFixed(1)),
    pdf_max_kb: kb(sizes.pdf),
    xlsx_max_kb: kb(sizes.xlsx),
  };
  if (o.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`briefings benchmark: ${o.subscribers.toLocaleString('en')} subscriptions × ${o.months} months, ${BENCH_END}, ${regions.length} briefings (province + cities), ${o.threads} render threads`);
  console.log(`  all ${regions.length} briefings, PDF + XLSX (cold)      ${result.all_s.toFixed(2)} s   (${result.per_briefing_ms} ms a briefing)`);
  console.log(`  floor: their figures only (query layer)  ${result.gather_only_s.toFixed(2)} s`);
  console.log(
    `  cached re-download over HTTP (PDF)       median ${result.cached_download_median_ms} ms, p95 ${result.cached_download_p95_ms} ms, max ${result.cached_download_max_ms} ms (${o.downloads} downloads)`,
  );
  console.log(`  largest PDF ${result.pdf_max_kb} KB, largest XLSX ${result.xlsx_max_kb} KB`);
}
