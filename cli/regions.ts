// npm run regions -- [--db PATH] add CODE NAME_ZH [NAME_EN] | load FILE.csv | list [--json]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { type Region, addRegion, listRegions, loadRegionsCsv } from '../warehouse/regions.ts';
import { throughServerOrFile } from './through-server.ts';

type LoadedRegions = Awaited<ReturnType<typeof loadRegionsCsv>>;

const USAGE = 'usage: npm run regions -- [--db PATH] add CODE NAME_ZH [NAME_EN] | load FILE.csv | list [--json]';

runCli(async () => {
  const { values, positionals } = parseCli({ db: { type: 'string' }, json: { type: 'boolean', default: false } });
  const [command, ...rest] = positionals;
  const valid =
    (command === 'add' && rest.length >= 2 && rest.length <= 3) || (command === 'load' && rest.length === 1) || (command === 'list' && rest.length === 0);
  if (!valid) throw new UserError(USAGE, EXIT.usage);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
  if (command === 'add') {
    const [code, nameZh, nameEn] = rest as [string, string, string | undefined];
    const r = await throughServerOrFile(settings, {
      server: async (call) => (await call<{ region: Region }>('POST', '/api/admin/regions', { code, name_zh: nameZh, ...(nameEn ? { name_en: nameEn } : {}) })).body.region,
      file: (wh) => addRegion(wh, code, nameZh, nameEn),
    });
    console.log(`region ${r.code} ${r.name_zh}${r.name_en ? ` (${r.name_en})` : ''} saved`);
  } else if (command === 'load') {
    const file = rest[0]!;
    const r = await throughServerOrFile(settings, {
      // The server reads the file from where it lies, so the path must be one it can resolve.
      server: async (call) => {
        if (!existsSync(file)) throw new UserError(`cannot read ${file}: no such file`);
        return (await call<LoadedRegions>('POST', '/api/admin/regions/load', { path: resolve(file) })).body;
      },
      file: (wh) => loadRegionsCsv(wh, file),
    });
    console.log(`${r.added} added, ${r.updated} updated, ${r.skipped.length} skipped`);
    for (const s of r.skipped) console.error(`skipped ${s}`);
  } else {
    const regions = await throughServerOrFile(settings, {
      server: async (call) => (await call<{ regions: Region[] }>('GET', '/api/regions')).body.regions,
      file: (wh) => listRegions(wh),
    });
    if (values.json) console.log(JSON.stringify({ regions }));
    else for (const r of regions) console.log(`${r.code}\t${r.name_zh}\t${r.name_en ?? ''}`);
  }
});
