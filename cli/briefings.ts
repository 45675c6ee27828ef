// npm run briefings -- --period YYYY-MM [--region CODE|ALL] [--lang zh|en] --out DIR [--db PATH] [--threads N]
// Writes briefing_{region}_{YYYY-MM}.pdf and .xlsx (the English edition: …_en.pdf and .xlsx) for one
// city, or with ALL (the default) for the province and every city, with a progress bar on stderr and
// the files written on stdout.
// While a server holds the warehouse, the briefings are fetched from it (its cache, its data).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { isPeriod } from '../domain/period.ts';
import { isRegionScope } from '../domain/region-code.ts';
import { countProgress } from './progress.ts';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { listRegions } from '../warehouse/regions.ts';
import { requestServer } from './server-client.ts';
import { throughServerOrFile } from './through-server.ts';
import { BriefingService } from '../briefings/cache.ts';
import { briefingFileName, type BriefingFormat } from '../briefings/render.ts';
import { isLang, type Lang } from '../briefings/text.ts';

const FORMATS: readonly BriefingFormat[] = ['pdf', 'xlsx'];

type Fetch = (region: string, format: BriefingFormat) => Promise<Uint8Array>;

runCli(async () => {
  const { values } = parseCli({
    period: { type: 'string' },
    region: { type: 'string', default: 'ALL' },
    lang: { type: 'string', default: 'zh' },
    out: { type: 'string' },
    db: { type: 'string' },
    threads: { type: 'string' },
  });
  const period = values.period ?? '';
  if (!isPeriod(period)) throw new UserError(`--period must be a month written YYYY-MM, got ${JSON.stringify(values.period ?? '')}`, EXIT.usage);
  if (!isRegionScope(values.region)) throw new UserError(`--region must be ALL or a 6-digit region code, got ${JSON.stringify(values.region)}`, EXIT.usage);
  if (!isLang(values.lang)) throw new UserError(`--lang must be zh or en, got ${JSON.stringify(values.lang)}`, EXIT.usage);
  const lang: Lang = values.lang;
  if (!values.out) throw new UserError('--out DIR is required (the folder the briefings are written to)', EXIT.usage);
  const threads = values.threads === undefined ? Math.min(2, availableParallelism()) : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new UserError(`--threads must be a positive integer, got ${values.threads}`, EXIT.usage);
  const out = resolve(values.out);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });

  await throughServerOrFile(settings, {
    server: async (call, server) => {
      const { regions } = (await call<{ regions: { code: string }[] }>('GET', '/api/regions')).body;
      const fetchOne: Fetch = async (region, format) =>
        new Uint8Array(await (await requestServer(server, 'GET', `/api/briefings/${region}/${period}.${format}${lang === 'zh' ? '' : `?lang=${lang}`}`)).arrayBuffer());
      await writeBriefings(regions.map((r) => r.code), fetchOne);
    },
    file: async (wh) => {
      const loaded = await wh.one<{ n: bigint }>(`select count(*) as n from load_slices where period = $p::date and superseded_by_load is null`, { p: `${period}-01` });
      if (!loaded || Number(loaded.n) === 0) throw new UserError(`no data is loaded for ${period}: nothing to brief`);
      const service = new BriefingService({ threads });
      try {
        await writeBriefings((await listRegions(wh)).map((r) => r.code), (region, format) => service.get(wh, region, period, format, lang));
      } finally {
        await service.close();
      }
    },
  });

  async function writeBriefings(known: string[], fetchOne: Fetch): Promise<void> {
    if (values.region !== 'ALL' && !known.includes(values.region)) {
      throw new UserError(`region ${values.region} is not in the region list (npm run regions -- list)`);
    }
    const regions = values.region === 'ALL' ? ['ALL', ...known] : [values.region];
    mkdirSync(out, { recursive: true });
    // A briefing takes a second or more: off a terminal, a line for each is worth keeping.
    const tick = countProgress('briefings', { everyStep: true });
    let done = 0;
    // As many briefings in flight as render threads: each one's figures are gathered while another renders.
    const queue = [...regions];
    const lane = async () => {
      for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
        for (const format of FORMATS) {
          const file = join(out, briefingFileName(region, period, format, lang));
          writeFileSync(file, await fetchOne(region, format));
          process.stdout.write(`${file}\n`);
        }
        tick(++done, regions.length, region);
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads, regions.length) }, lane));
  }
});
