// Held connections: a slow reader of /api/sql gets sqlWriteTimeoutMs to take its answer and is then
// cut, its SQL connection released; a request whose headers or body never finish is closed; a user
// may hold only so many event streams. Raw sockets (node:net) that read or send slowly.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
let host: string;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  ts = await testServer({ settings: { sqlConnections: 2, sqlWriteTimeoutMs: 2000, headersTimeoutMs: 1000, requestTimeoutMs: 2000, sseStreamsPerUser: 3 } });
  host = new URL(ts.url).hostname;
  port = Number(new URL(ts.url).port);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await ts?.close();
});

interface RawClient {
  socket: Socket;
  /** Reading one chunk every half second while true. */
  slow: boolean;
  /** The last bytes received. */
  tail: string;
  /** Resolves with the text received so far once the server has answered something. */
  firstBytes: Promise<string>;
  /** Resolves with the milliseconds from opening to the server closing the socket. */
  closed: Promise<number>;
}

function raw(opts: { slow?: boolean } = {}): RawClient {
  const socket = connect(port, host);
  sockets.push(socket);
  const t0 = Date.now();
  let first: ((s: string) => void) | null = null;
  const firstBytes = new Promise<string>((r) => (first = r));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((r) => socket.on('close', () => r(Date.now() - t0)));
  const client: RawClient = { socket, slow: opts.slow ?? false, tail: '', firstBytes, closed };
  socket.on('data', (d: Buffer) => {
    first?.(d.toString('latin1'));
    first = null;
    client.tail = (client.tail + d.toString('latin1')).slice(-200);
    if (client.slow) {
      // One read (≤ 64 KB) every half second.
      socket.pause();
      setTimeout(() => socket.resume(), 500).unref();
    }
  });
  return client;
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('slow readers of /api/sql', () => {
  it('are cut after the write deadline, and a third query does not wait on them', async () => {
    const cookie = await ts.cookie('analyst');
    // About 40 MB of JSON: far more than the socket buffers hold.
    const body = JSON.stringify({ sql: `select range as i, repeat('x', 200) as s from range(200000)`, limit: 200000 });
    const request = `POST /api/sql HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const slow = [raw({ slow: true }), raw({ slow: true })];
    for (const c of slow) c.socket.write(request);
    // Both answers have started: both SQL connections are held by the slow readers.
    for (const c of slow) expect(await c.firstBytes).toMatch(/^HTTP\/1\.1 200/);

    const t0 = Date.now();
    const third = await within(postJson(ts, '/api/sql', { sql: 'select 42 as answer' }, 'analyst'), 10_000);
    expect(third, 'the third query waited more than 10 s').not.toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await (third as Response).json()).toMatchObject({ rows: [[42]] });

    // Cut: what the server had sent before the deadline arrives (now read at full speed), then the end
    // of the socket, without the end of the answer.
    for (const c of slow) {
      c.slow = false;
      c.socket.resume();
      expect(await within(c.closed, 60_000)).not.toBe('timeout');
      expect(c.tail).not.toMatch(/"truncated":false}$/);
    }
  }, 90_000);
});

describe('requests that never finish', () => {
  it('headers that never end: the socket is closed after the headers timeout', async () => {
    const c = raw();
    c.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: 1\r\n`);
    const ms = await within(c.closed, 10_000);
    expect(ms).not.toBe('timeout');
    expect(ms).toBeLessThan(5000);
  }, 20_000);

  it('a body sent a few bytes at a time: the socket is closed after the request timeout', async () => {
    const c = raw();
    c.socket.write(`POST /api/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"user":`);
    const drip = setInterval(() => c.socket.writable && c.socket.write(' '), 200);
    try {
      const ms = await within(c.closed, 10_000);
      expect(ms).not.toBe('timeout');
      expect(ms).toBeLessThan(6000);
    } finally {
      clearInterval(drip);
    }
  }, 20_000);
});

describe('event streams per user', () => {
  it('a fourth stream of one user is 429; another user is not affected; a closed stream frees its place', async () => {
    const streams: AbortController[] = [];
    const open = async (as: 'analyst' | 'exec') => {
      const ac = new AbortController();
      streams.push(ac);
      return ts.fetch('/api/events', { as, signal: ac.signal });
    };
    try {
      for (let i = 0; i < 3; i++) expect((await open('analyst')).status).toBe(200);
      const refused = await open('analyst');
      expect(refused.status).toBe(429);
      expect((await refused.json()) as { error: string }).toEqual({ error: expect.stringMatching(/too many event streams.*实时更新/) });
      expect((await open('exec')).status).toBe(200);
      streams[0]!.abort();
      let again = 0;
      for (let i = 0; i < 50 && again !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const res = await open('analyst');
        again = res.status;
        if (again !== 200) await res.body?.cancel();
      }
      expect(again).toBe(200);
    } finally {
      for (const ac of streams) ac.abort();
    }
  });
});
