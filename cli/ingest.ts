// npm run ingest -- [--db PATH] [--kind KIND] [--encoding ENC] [--sheet NAME] [--json] FILE...
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCli, runCli } from './run-cli.ts';
import { normalizeSettings } from '../warehouse/config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { EXIT, UserError, errorMessage } from '../warehouse/errors.ts';
import type { ServerFile } from '../server/server-file.ts';
import { type ServerCall, throughServerOrFile } from './through-server.ts';
import { bytesProgress } from './progress.ts';
import { parseEncoding, parseKind } from '../ingest/detect.ts';
import { type FileResult, type IngestOptions, ingestFile } from '../ingest/load.ts';
import { type ModelSlice, runModels } from '../warehouse/models.ts';

const USAGE = 'usage: npm run ingest -- [--db PATH] [--kind KIND] [--encoding ENC] [--sheet NAME] [--json] FILE...';

runCli(async () => {
  const { values, positionals } = parseCli({
    db: { type: 'string' },
    kind: { type: 'string' },
    encoding: { type: 'string' },
    sheet: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UserError(`no file given\n${USAGE}`, EXIT.usage);
  const opts: IngestOptions = {};
  try {
    if (values.kind) opts.kind = parseKind(values.kind);
    if (values.encoding) opts.encoding = parseEncoding(values.encoding);
  } catch (err) {
    throw new UserError(errorMessage(err), EXIT.usage);
  }
  if (values.sheet !== undefined) opts.sheet = values.sheet;
  const settings = normalizeSettings(values.db === undefined ? {} : { db: values.db });
  opts.rejectThreshold = settings.rejectThreshold;
  const results = await throughServerOrFile<Summary[]>(settings, {
    server: (call, server) => throughServer(call, server, positionals, opts),
    file: (wh) => direct(wh, positionals, opts),
  });
  if (values.json) {
    const files = results.map(({ file, kind, status, rows_loaded, rows_rejected, load_id, message }) => ({
      file, kind, status, rows_loaded, rows_rejected, load_id, message,
    }));
    process.stdout.write(JSON.stringify({ files }) + '\n');
  }
  return results.some((r) => r.status === 'refused') ? EXIT.failed : EXIT.ok;
});

type Summary = Omit<FileResult, 'slices'>;

/**
 * A server holds the warehouse: it loads the files (linked into its staging folder, named as given
 * here), refreshes the models and tells the boards. The summary is the same as without a server.
 */
async function throughServer(call: ServerCall, server: ServerFile, files: string[], opts: IngestOptions): Promise<Summary[]> {
  process.stderr.write(`loading through the server at ${server.url} (pid ${server.pid})\n`);
  const started = Date.now();
  const { body } = await call<{ files: Summary[] }>('POST', '/api/ingest', {
    paths: files.map((f) => ({ path: resolve(f), name: f })),
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
    ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
  });
  for (const r of body.files) process.stderr.write(`${r.status.padEnd(9)} ${r.file}: ${r.message}\n`);
  process.stderr.write(`${body.files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s, models refreshed\n`);
  return body.files;
}

async function direct(wh: Warehouse, positionals: string[], opts: IngestOptions): Promise<FileResult[]> {
  const sizes = new Map<string, number>();
  const sizeOf = (f: string) => {
    if (!sizes.has(f)) sizes.set(f, (() => { try { return statSync(f).size; } catch { return 0; } })());
    return sizes.get(f)!;
  };
  const progress = bytesProgress(process.stderr, sizeOf);
  const results: FileResult[] = [];
  for (const file of positionals) {
    const started = Date.now();
    const r = await ingestFile(wh, file, opts, { progress });
    results.push(r);
    const secs = (Date.now() - started) / 1000;
    const rate = r.rows_loaded && secs > 0 ? ` (${Math.round(r.rows_loaded / secs).toLocaleString('en')} rows/s)` : '';
    process.stderr.write(`${r.status.padEnd(9)} ${file}: ${r.message}${rate}\n`);
  }
  // The models follow the data: only the slices these loads touched (and the months after them) are rebuilt.
  const slices: ModelSlice[] = results.flatMap((r) => (r.status === 'loaded' && r.kind ? r.slices.map((s) => ({ kind: r.kind!, ...s })) : []));
  if (slices.length > 0) {
    const run = await runModels(wh, { slices });
    process.stderr.write(
      `models refreshed for ${run.periods.join(', ')} in ${(run.duration_ms / 1000).toFixed(1)} s (data version ${run.data_version})` +
        (run.failed ? `; ${run.failed} data test(s) FAILED: npm run models shows which` : '') + '\n',
    );
  }
  return results;
}
