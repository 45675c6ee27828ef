// The console reads its Arrow answer as a stream: the rows of the first record batch are in the result
// (what the grid shows) while the rest has not arrived; the next batch adds to them.
import { RecordBatchStreamWriter, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { installFakeBrowser } from './fake-browser.ts';

function batches() {
  const batch = (from: number, length: number) =>
    new Table({ n: makeVector(Int32Array.from({ length }, (_, i) => from + i)), label: vectorFromArray(Array.from({ length }, (_, i) => `第${from + i}行`), new Utf8()) }).batches[0]!;
  const first = batch(0, 4096);
  const second = batch(4096, 8192);
  const whole = RecordBatchStreamWriter.writeAll([first, second]).toUint8Array(true);
  // Schema and first batch, without the end-of-stream marker (8 bytes) that writeAll adds.
  const head = RecordBatchStreamWriter.writeAll([first]).toUint8Array(true).length - 8;
  return { part1: whole.slice(0, head), part2: whole.slice(head) };
}

describe('SqlConsole over Arrow', () => {
  let send: ReadableStreamDefaultController<Uint8Array>;
  let accept: string | null = null;
  beforeEach(() => {
    vi.resetModules();
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (send = c) });
    installFakeBrowser({
      api: (url) => {
        if (url.pathname === '/api/sql') return new Response(body, { status: 200, headers: { 'content-type': 'application/vnd.apache.arrow.stream', 'x-truncated': 'false' } });
        return { history: [], queries: [] };
      },
    });
    const real = globalThis.fetch;
    vi.stubGlobal('fetch', (input: string, init: RequestInit = {}) => {
      if (String(input).endsWith('/api/sql')) accept = new Headers(init.headers).get('accept');
      return real(input, init);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  test('shows the first batch before the last one lands, then all rows', async () => {
    const { SqlConsole } = await import('./sql.svelte.ts');
    const { part1, part2 } = batches();
    const sql = new SqlConsole('analyst');
    const done = sql.run('select n, label from t');
    send.enqueue(part1);
    await vi.waitFor(() => expect(sql.result?.rowCount).toBe(4096));
    expect(accept).toBe('application/vnd.apache.arrow.stream');
    expect(sql.running).toBe(true);
    expect(sql.result!.complete).toBe(false);
    expect(sql.result!.text(4095, 1)).toBe('第4095行');
    expect(sql.result!.columns.map((c) => c.name)).toEqual(['n', 'label']);
    send.enqueue(part2);
    send.close();
    await done;
    expect(sql.result!.rowCount).toBe(4096 + 8192);
    expect(sql.result!.complete).toBe(true);
    expect(sql.result!.text(12_287, 0)).toBe('12287');
    expect(sql.result!.value(5000, 0)).toBe(5000);
    expect(sql.running).toBe(false);
  });
});
