// A password hash made with weaker scrypt parameters than today's (N < 2^17) is made again at today's
// parameters at the user's next successful login — not at a failed one — and the password still works.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../test/helpers/test-server.ts';
import { isWeakHash, verifyPassword } from '../warehouse/users.ts';

function oldHash(password: string, N: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 64 << 20 });
  return ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

let ts: TestServer;
beforeAll(async () => {
  ts = await testServer({
    prepare: async (wh) => {
      const t = "'2025-01-01 00:00:00'::timestamp";
      await wh.run(`insert into users values ('veteran', 'analyst', null, $h, ${t}), ('elder', 'executive', null, $e, ${t})`, {
        h: oldHash('an-old-password', 1 << 14),
        e: oldHash('elder-password', 1 << 15),
      });
    },
  });
}, 60_000);
afterAll(() => ts?.close());

const stored = async (name: string) => (await ts.wh.one<{ h: string }>('select password_hash as h from users where name = $n', { n: name }))!.h;
const login = (user: string, password: string) =>
  fetch(`${ts.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });

describe('hash upgrade at login', () => {
  it('re-hashes a 2^14 or 2^15 hash at 2^17 at the next successful login, and only then', async () => {
    const before = await stored('veteran');
    expect(before).toMatch(/^scrypt\$16384\$/);
    expect(isWeakHash(before)).toBe(true);

    // A wrong password changes nothing.
    expect((await login('veteran', 'not-the-password')).status).toBe(401);
    expect(await stored('veteran')).toBe(before);

    expect((await login('veteran', 'an-old-password')).status).toBe(200);
    const after = await stored('veteran');
    expect(after).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(isWeakHash(after)).toBe(false);
    expect(await verifyPassword('an-old-password', after)).toBe(true);
    // The next login works with the new hash, and does not re-hash again.
    expect((await login('veteran', 'an-old-password')).status).toBe(200);
    expect(await stored('veteran')).toBe(after);

    expect((await login('elder', 'elder-password')).status).toBe(200);
    expect(await stored('elder')).toMatch(/^scrypt\$131072\$/);

    const audit = await ts.fetch('/api/audit?action=password_upgrade', { as: 'admin' });
    const events = ((await audit.json()) as { events: { target: string; detail: { from: string } }[] }).events;
    expect(events.map((e) => [e.target, e.detail.from])).toEqual([
      ['elder', 'scrypt$32768$8$1'],
      ['veteran', 'scrypt$16384$8$1'],
    ]);
    // Today's hashes (the test users') are left as they are.
    const admin = await stored('admin');
    expect((await login('admin', 'test-password')).status).toBe(200);
    expect(await stored('admin')).toBe(admin);
  }, 60_000);
});
