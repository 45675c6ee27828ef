// WAREHOUSE=PATH PORT=N npm run serve — serves an existing warehouse (server/serve.ts) until stopped.
import { serveUntilStopped } from '../server/serve.ts';
import { relaunchWithLibuvThreads } from '../server/libuv-threads.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { findServer } from '../server/server-file.ts';
import { parseCli, runCli } from './run-cli.ts';

if (await relaunchWithLibuvThreads()) {
  runCli(async () => {
    const { values } = parseCli({ db: { type: 'string' } });
    const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
    const running = findServer(settings.path);
    if (running) throw new UserError(`${settings.path} is already served at ${running.url} (pid ${running.pid})`, EXIT.locked);
    const wh = await Warehouse.open(settings);
    await serveUntilStopped(wh);
  });
}
