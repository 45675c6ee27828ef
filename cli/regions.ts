// npm run regions -- [--db PATH] add CODE NAME_ZH [NAME_EN] | load FILE.csv | list [--json]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { type Region, addRegion, listRegions, loadRegionsCsv } from '../warehouse/regions.ts';
import { findServer } from '../server/server-file.ts';
import { callServer } from './server-client.ts';

const USAGE = 'usage: npm run regions -- [--db PATH] add CODE NAME_ZH [NAME_EN] | load FILE.csv | list [--json]';

runCli(async () => {
  const { values, positionals } = parseCli({ db: { type: 'string' }, json: { type: 'boolean', default: false } });
  const [command, ...rest] = positionals;
  const valid =
    (command === 'add' && rest.length >= 2 && rest.length <= 3) || (command === 'load' && rest.length === 1) || (command === 'list' && rest.length === 0);
  if (!valid) throw new UserError(USAGE, EXIT.usage);
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
  const server = findServer(settings.path);
  if (server) {
    // The server holds the warehouse: the same commands through its API (the file is linked into its staging folder).
    if (command === 'add') {
      const { body } = await callServer<{ region: Region }>(server, 'POST', '/api/admin/regions', { code: rest[0], name_zh: rest[1], ...(rest[2] ? { name_en: rest[2] } : {}) });
      const r = body.region;
      console.log(`region ${r.code} ${r.name_zh}${r.name_en ? ` (${r.name_en})` : ''} saved`);
    } else if (command === 'load') {
      if (!existsSync(rest[0]!)) throw new UserError(`cannot read ${rest[0]}: no such file`);
      const { body: r } = await callServer<{ added: number; updated: number; skipped: string[] }>(server, 'POST', '/api/admin/regions/load', { path: resolve(rest[0]!) });
      console.log(`${r.added} added, ${r.updated} updated, ${r.skipped.length} skipped`);
      for (const s of r.skipped) console.error(`skipped ${s}`);
    } else {
      const { body } = await callServer<{ regions: Region[] }>(server, 'GET', '/api/regions');
      if (values.json) console.log(JSON.stringify({ regions: body.regions }));
      else for (const r of body.regions) console.log(`${r.code}\t${r.name_zh}\t${r.name_en ?? ''}`);
    }
    return;
  }
  const wh = await Warehouse.open(settings);
  try {
    if (command === 'add') {
      const r = await addRegion(wh, rest[0]!, rest[1]!, rest[2]);
      console.log(`region ${r.code} ${r.name_zh}${r.name_en ? ` (${r.name_en})` : ''} saved`);
    } else if (command === 'load') {
      const r = await loadRegionsCsv(wh, rest[0]!);
      console.log(`${r.added} added, ${r.updated} updated, ${r.skipped.length} skipped`);
      for (const s of r.skipped) console.error(`skipped ${s}`);
    } else {
      const regions = await listRegions(wh);
      if (values.json) console.log(JSON.stringify({ regions }));
      else for (const r of regions) console.log(`${r.code}\t${r.name_zh}\t${r.name_en ?? ''}`);
    }
  } finally {
    wh.close();
  }
});
