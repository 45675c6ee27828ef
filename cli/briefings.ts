// npm run briefings -- --period YYYY-MM [--region CODE|ALL] --out DIR [--db PATH] [--threads N]
// Writes briefing_{region}_{YYYY-MM}.pdf and .xlsx for one city, or with ALL (the default) for
// the province and every city, with a progress bar on stderr and the files written on stdout.
// While a server holds the warehouse, the briefings are fetched from it (its cache, its data).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { isRegionScope } from '../domain/region-code.ts';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError, errorMessage } from '../warehouse/errors.ts';
import { listRegions } from '../warehouse/regions.ts';
import { findServer, type ServerFile } from '../server/server-file.ts';
import { BriefingService } from '../briefings/cache.ts';
import type { BriefingFormat } from '../briefings/render.ts';

const FORMATS: readonly BriefingFormat[] = ['pdf', 'xlsx'];

function briefingFileName(region: string, period: string, format: BriefingFormat): string {
  return `briefing_${region}_${period}.${format}`;
}

/** A one-line bar redrawn in place on a terminal; elsewhere a line per briefing. */
function progressBar(out: NodeJS.WriteStream, total: number, started = performance.now()) {
  return (done: number, label: string) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (out.isTTY) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      out.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${label.padEnd(8)} ${seconds} s`);
      if (done === total) out.write('\n');
    } else {
      out.write(`briefings ${done}/${total} ${label} ${seconds} s\n`);
    }
  };
}

type Fetch = (region: string, format: BriefingFormat) => Promise<Uint8Array>;

async function viaServer(server: ServerFile, period: string): Promise<{ regions: string[]; fetch: Fetch }> {
  const get = async (path: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${server.token}` } });
    } catch (err) {
      throw new UserError(`the server at ${server.url} (pid ${server.pid}) cannot be reached: ${errorMessage(err)}`, EXIT.locked);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: string } | null;
      throw new UserError(`${path}: ${body?.error ?? `HTTP ${res.status}`}`);
    }
    return res;
  };
  const { regions } = (await (await get('/api/regions')).json()) as { regions: { code: string }[] };
  return {
    regions: regions.map((r) => r.code),
    fetch: async (region, format) => new Uint8Array(await (await get(`/api/briefings/${region}/${period}.${format}`)).arrayBuffer()),
  };
}

runCli(async () => {
  const { values } = parseCli({
    period: { type: 'string' },
    region: { type: 'string', default: 'ALL' },
    out: { type: 'string' },
    db: { type: 'string' },
    threads: { type: 'string' },
  });
  const period = values.period ?? '';
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new UserError(`--period must be a month written YYYY-MM, got ${JSON.stringify(values.period ?? '')}`, EXIT.usage);
  if (!isRegionScope(values.region)) throw new UserError(`--region must be ALL or a 6-digit region code, got ${JSON.stringify(values.region)}`, EXIT.usage);
  if (!values.out) throw new UserError('--out DIR is required (the folder the briefings are written to)', EXIT.usage);
  const threads = values.threads === undefined ? Math.min(2, availableParallelism()) : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new UserError(`--threads must be a positive integer, got ${values.threads}`, EXIT.usage);
  const out = resolve(values.out);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });

  let fetchOne: Fetch;
  let known: string[];
  let finish = async () => {};
  const server = findServer(settings.path);
  if (server) {
    ({ regions: known, fetch: fetchOne } = await viaServer(server, period));
  } else {
    const wh = await Warehouse.open(settings);
    const service = new BriefingService({ threads });
    finish = async () => {
      await service.close();
      wh.close();
    };
    known = (await listRegions(wh)).map((r) => r.code);
    const loaded = await wh.one<{ n: bigint }>(`select count(*) as n from load_slices where period = $p::date and superseded_by_load is null`, { p: `${period}-01` });
    if (!loaded || Number(loaded.n) === 0) {
      await finish();
      throw new UserError(`no data is loaded for ${period}: nothing to brief`);
    }
    fetchOne = (region, format) => service.get(wh, region, period, format);
  }
  if (values.region !== 'ALL' && !known.includes(values.region)) {
    await finish();
    throw new UserError(`region ${values.region} is not in the region list (npm run regions -- list)`);
  }
  const regions = values.region === 'ALL' ? ['ALL', ...known] : [values.region];
  mkdirSync(out, { recursive: true });
  const tick = progressBar(process.stderr, regions.length);
  let done = 0;
  try {
    // As many briefings in flight as render threads: each one's figures are gathered while another renders.
    const queue = [...regions];
    const lane = async () => {
      for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
        for (const format of FORMATS) {
          const file = join(out, briefingFileName(region, period, format));
          writeFileSync(file, await fetchOne(region, format));
          process.stdout.write(`${file}\n`);
        }
        tick(++done, region);
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads, regions.length) }, lane));
  } finally {
    await finish();
  }
});
