// Every response forbids framing (Content-Security-Policy frame-ancestors 'none', and X-Frame-Options
// DENY for older browsers) and carries the content policy the dashboard runs under.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, postJson, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer();
}, 120_000);
afterAll(() => ts?.close());

describe('security headers', () => {
  it('forbid framing and restrict content on pages, API answers and errors alike', async () => {
    const responses = [
      await ts.fetch('/'),
      await ts.fetch('/api/health'),
      await ts.fetch('/api/me', { as: 'exec' }),
      await ts.fetch('/api/me'),
      await ts.fetch('/api/nothing-here', { as: 'exec' }),
      await postJson(ts, '/api/login', { user: 'exec', password: 'wrong' }, null),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-frame-options'), res.url).toBe('DENY');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, res.url).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
      expect(csp).toMatch(/(^|; )object-src 'none'(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      await res.arrayBuffer();
    }
  });
});
