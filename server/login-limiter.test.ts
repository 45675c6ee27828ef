// The login limiter against a real server: attempts are counted before the password is checked, so a
// burst of parallel guesses gets at most five checks; the lock is per (user, address), so the real
// user elsewhere still logs in; a password change ends the user's sessions.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from './auth.ts';
import { HttpError } from './http-error.ts';
import { PASSWORD, type TestServer, testServer } from '../test/helpers/test-server.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer();
}, 60_000);
afterAll(() => ts.close());

/** A login from a chosen loopback address (all of 127/8 is this machine). */
function loginFrom(localAddress: string, user: string, password: string): Promise<{ status: number; body: string; cookie: string }> {
  const url = new URL('/api/login', ts.url);
  const data = JSON.stringify({ user, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: (res.headers['set-cookie']?.[0] ?? '').split(';')[0]! }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('login limiter', () => {
  it('lets at most 5 of 60 parallel wrong logins be checked (the rest 429), while another user logs in', async () => {
    const guesses = Array.from({ length: 60 }, (_, i) => loginFrom('127.0.0.1', 'analyst', `guess-${i}`));
    const other = loginFrom('127.0.0.1', 'exec', PASSWORD);
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(55);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect((await other).status).toBe(200);
    // Locked from this address, even with the right password, with a bilingual error and no stack.
    const locked = await loginFrom('127.0.0.1', 'analyst', PASSWORD);
    expect(locked.status).toBe(429);
    const { error } = JSON.parse(locked.body) as { error: string };
    expect(error).toMatch(/too many failed logins/);
    expect(error).toMatch(/登录失败次数过多/);
    // The real user, from another address, still logs in.
    expect((await loginFrom('127.0.0.2', 'analyst', PASSWORD)).status).toBe(200);
  }, 60_000);

  it('a password change through the admin API ends the user’s sessions and needs 10 characters', async () => {
    const first = await loginFrom('127.0.0.3', 'wenzhou', PASSWORD);
    expect(first.status).toBe(200);
    expect((await ts.fetch('/api/me', { headers: { cookie: first.cookie } })).status).toBe(200);
    const put = (password: string, name = 'wenzhou') =>
      ts.fetch(`/api/admin/users/${name}/password`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }), as: 'admin' });
    const short = await put('short-pw');
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toMatch(/at least 10 characters.*密码至少 10 个字符/);
    expect((await ts.fetch('/api/me', { headers: { cookie: first.cookie } })).status).toBe(200);
    expect((await put('new-password-1', 'nobody')).status).toBe(404);
    expect((await put('new-password-1')).status).toBe(200);
    expect((await ts.fetch('/api/me', { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await loginFrom('127.0.0.3', 'wenzhou', PASSWORD)).status).toBe(401);
    const again = await loginFrom('127.0.0.3', 'wenzhou', 'new-password-1');
    expect(again.status).toBe(200);
    // Gone from the warehouse too, so a restart does not bring them back.
    const rows = await ts.wh.all<{ n: bigint }>(`select count(*) as n from sessions where user_name = 'wenzhou'`);
    expect(Number(rows[0]!.n)).toBe(1);
    // Only an admin sets passwords.
    const asRegional = await ts.fetch('/api/admin/users/exec/password', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: again.cookie },
      body: JSON.stringify({ password: 'x'.repeat(12) }),
    });
    expect(asRegional.status).toBe(403);
  }, 60_000);
});

describe('LoginLimiter', () => {
  const status = (fn: () => unknown) => {
    try {
      fn();
      return 'ok';
    } catch (err) {
      return err instanceof HttpError ? err.status : String(err);
    }
  };

  it('locks a (user, address) for growing delays, and not other addresses', () => {
    let t = 0;
    const limiter = new LoginLimiter(5, 1000, 15 * 60_000, () => new Date(t), 8, 30_000);
    const fail = (addr = 'a') => status(() => limiter.begin('u', addr).done());
    expect([1, 2, 3, 4, 5].map(() => fail())).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(fail()).toBe(429);
    expect(fail('b')).toBe('ok');
    t += 29_000;
    expect(fail()).toBe(429);
    t += 1_000;
    expect(fail()).toBe('ok'); // the 6th failure: 60 s now
    t += 59_000;
    expect(fail()).toBe(429);
    t += 1_000;
    expect(fail()).toBe('ok'); // the 7th: 120 s
    t += 119_000;
    expect(fail()).toBe(429);
    t += 1_000;
    const ok = limiter.begin('u', 'a');
    ok.succeed();
    ok.done();
    expect(fail()).toBe('ok');
  });

  it('caps the password checks running at once', () => {
    const limiter = new LoginLimiter(5, 1000, 60_000, () => new Date(0), 2);
    const a = limiter.begin('a', 'x');
    limiter.begin('b', 'y');
    expect(status(() => limiter.begin('c', 'z'))).toBe(429);
    a.done();
    a.done();
    expect(status(() => limiter.begin('c', 'z'))).toBe('ok');
    expect(status(() => limiter.begin('d', 'z'))).toBe(429);
  });
});
