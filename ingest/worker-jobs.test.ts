// The server's way of loading: GBK transcoding and XLSX unpacking on a pool of worker threads,
// temporary CSVs in a given folder. Same rows, same rejects, same lines as on the main thread.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempWarehouse } from '../test/helpers/temp-warehouse.ts';
import { WorkerPool } from '../workers/pool.ts';
import { ingestFile } from './load.ts';
import { runJobOn } from './worker-jobs.ts';
import { XlsxError } from './xlsx.ts';
import { channelWorkbook } from '../test/fixtures/channel-workbook.ts';

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
let staging: string;
const workers = new WorkerPool({ name: 'ingest' });
beforeAll(async () => {
  ctx = await tempWarehouse();
  staging = join(ctx.dir, 'staging');
  mkdirSync(staging);
});
afterAll(async () => {
  await workers.close();
  ctx.dispose();
});

describe('ingestFile with worker threads', () => {
  it('transcodes a GBK extract on a worker thread, its temporary file in tempDir, removed after', async () => {
    const text = readFileSync(join(FIXTURES, 'ingest', 'subscriber_330300_202609_zh.csv'), 'utf8');
    const gbk = join(ctx.dir, 'subscriber_330300_202609_gbk.csv');
    writeFileSync(gbk, iconv.encode(text, 'gbk'));
    const r = await ingestFile(ctx.wh, gbk, { workers, tempDir: staging, displayName: 'as-given.csv', kind: 'subscriber' });
    expect(r).toMatchObject({ status: 'loaded', file: 'as-given.csv', rows_loaded: 4, rows_rejected: 0 });
    expect((await ctx.wh.one<{ encoding: string }>('select encoding from loads where load_id = $id', { id: r.load_id }))?.encoding).toBe('gb18030');
    expect(readdirSync(staging)).toEqual([]);
  });

  it('unpacks XLSX on a worker thread with the sheet rows as lines, and a missing sheet stays a clear refusal', async () => {
    const { wb } = channelWorkbook();
    const file = join(ctx.dir, 'channel_331000_202608.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await ingestFile(ctx.wh, file, { workers, tempDir: staging });
    expect(r).toMatchObject({ status: 'loaded', rows_loaded: 2 });
    expect(await ctx.wh.all(`select channel_id, line from raw_channel where load_id = $id order by line`, { id: r.load_id })).toEqual([
      { channel_id: 'X1', line: 2n },
      { channel_id: 'X2', line: 4n },
    ]);
    const missing = await ingestFile(ctx.wh, file, { workers, tempDir: staging, sheet: 'Sheet9' });
    expect(missing).toMatchObject({ status: 'refused', message: expect.stringMatching(/Sheet9/) });
    // An XlsxError stays one across the thread: the same refusal as on the main thread.
    expect(missing.message).toBe((await ingestFile(ctx.wh, file, { sheet: 'Sheet9' })).message);
    await expect(runJobOn(workers, { type: 'xlsx', file, out: join(ctx.dir, 'x.csv'), sheet: 'Sheet9' })).rejects.toBeInstanceOf(XlsxError);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('reports a worker-side failure as an error of the job', async () => {
    await expect(runJobOn(workers, { type: 'transcode', src: join(ctx.dir, 'nope.csv'), dest: join(staging, 'x.csv'), encoding: 'gb18030' })).rejects.toThrow(/ENOENT/);
  });
});
