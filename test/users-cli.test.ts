// `npm run users` as an operator uses it: the password from stdin only (at least 10 characters),
// stored as a scrypt hash at N = 2^17 (older hashes at 2^15 still verify), list, passwd (which ends
// the user's sessions) and remove; and the checks on names, roles and regions.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { UserError } from '../warehouse/errors.ts';
import { addDemoUsers } from '../demo/seed.ts';
import { checkLogin, hashPassword, normalizeNewUser, setAppSetting, verifyPassword } from '../warehouse/users.ts';
import { scryptSync, randomBytes } from 'node:crypto';
import { tempDir, tempWarehouse } from './helpers/temp-warehouse.ts';

const ROOT = join(import.meta.dirname, '..');
let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeAll(() => {
  tmp = tempDir('users-cli-');
  db = join(tmp.dir, 'w.duckdb');
});
afterAll(() => tmp.remove());

/** Through npm once (the script line), else straight through tsx: the same program, a second faster. */
function users(args: string[], input = '', viaNpm = false) {
  const r = viaNpm
    ? spawnSync('npm', ['run', '--silent', 'users', '--', '--db', db, ...args], { cwd: ROOT, encoding: 'utf8', input })
    : spawnSync(process.execPath, ['--import', 'tsx', 'cli/users.ts', '--db', db, ...args], { cwd: ROOT, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run users', () => {
  it('adds users with the password from stdin, lists them, stores only a scrypt hash, removes them', async () => {
    expect(users(['add', 'wz', '--role', 'regional', '--region', '330300'], 'sekret-one-1\n').code).toBe(0);
    expect(users(['add', 'boss', '--role', 'executive'], 'sekret-two-2\n').code).toBe(0);
    const list = users(['list', '--json'], '', true);
    expect(JSON.parse(list.stdout)).toEqual({
      users: [
        { name: 'boss', role: 'executive', region_code: null },
        { name: 'wz', role: 'regional', region_code: '330300' },
      ],
    });
    expect(users(['remove', 'boss']).code).toBe(0);
    expect(users(['remove', 'boss']).code).toBe(1);
    const wh = await Warehouse.open({ path: db, memoryLimit: '256MB' });
    try {
      const row = await wh.one<{ password_hash: string }>(`select password_hash from users where name = 'wz'`);
      expect(row?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(row?.password_hash).not.toContain('sekret');
      expect(await checkLogin(wh, 'wz', 'sekret-one-1')).toEqual({ name: 'wz', role: 'regional', region_code: '330300' });
      expect(await checkLogin(wh, 'wz', 'wrong')).toBeNull();
      expect(await checkLogin(wh, 'nobody', 'sekret-one-1')).toBeNull();
    } finally {
      wh.close();
    }
  }, 60_000);

  it('refuses bad input: a usage error before the warehouse is opened, an unknown region after', () => {
    for (const bad of [
      { name: 'x', role: 'boss', password: 'pw12345678' },
      { name: 'x', role: 'regional', password: 'pw12345678' },
      { name: 'x', role: 'analyst', region_code: '330300', password: 'pw12345678' },
      { name: 'x', role: 'analyst', password: 'pw12' },
      { name: 'x', role: 'analyst', password: '123456789' },
      { name: 'bad name', role: 'analyst', password: 'pw12345678' },
    ]) {
      expect(() => normalizeNewUser(bad), JSON.stringify(bad)).toThrow(UserError);
    }
    expect(normalizeNewUser({ name: 'x', role: 'analyst', password: '1234567890' }).password).toBe('1234567890');
    expect(users(['add', 'x', '--role', 'boss'], 'pw12345678\n').code).toBe(2);
    const short = users(['add', 'x', '--role', 'analyst'], 'pw12\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const unknownRegion = users(['add', 'x', '--role', 'regional', '--region', '999999'], 'pw12345678\n');
    expect(unknownRegion.code).toBe(1);
    expect(unknownRegion.stderr).toMatch(/unknown region/);
  }, 60_000);

  it('passwd sets a new password from stdin and ends the user’s sessions', async () => {
    expect(users(['add', 'pw-user', '--role', 'analyst'], 'first-password\n').code).toBe(0);
    let wh = await Warehouse.open({ path: db, memoryLimit: '256MB' });
    try {
      await wh.run(`insert into sessions values ('h1', 'pw-user', now()::timestamp, now()::timestamp + interval 1 hour)`);
      await wh.run(`insert into sessions values ('h2', 'wz', now()::timestamp, now()::timestamp + interval 1 hour)`);
    } finally {
      wh.close();
    }
    const short = users(['passwd', 'pw-user'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 10 characters/);
    expect(users(['passwd', 'nobody'], 'second-password\n').code).toBe(1);
    const ok = users(['passwd', 'pw-user'], 'second-password\n', true);
    expect(ok.code, ok.stderr).toBe(0);
    wh = await Warehouse.open({ path: db, memoryLimit: '256MB' });
    try {
      expect(await checkLogin(wh, 'pw-user', 'first-password')).toBeNull();
      expect(await checkLogin(wh, 'pw-user', 'second-password')).toEqual({ name: 'pw-user', role: 'analyst', region_code: null });
      expect(await wh.all(`select token_hash from sessions order by 1`)).toEqual([{ token_hash: 'h2' }]);
    } finally {
      wh.close();
    }
  }, 60_000);

  it('still verifies hashes made at N = 2^15; new ones are made at 2^17', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('old-password', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 });
    const old = ['scrypt', 1 << 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    expect(await verifyPassword('old-password', old)).toBe(true);
    expect(await verifyPassword('old-passwore', old)).toBe(false);
    const hash = await hashPassword('new-password');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('new-password', hash)).toBe(true);
    // A row asking for more than a login's worth of work is refused, not computed.
    expect(await verifyPassword('old-password', old.replace('$32768$', '$1048576$'))).toBe(false);
  }, 60_000);

  it('lets the demo users have the short demo password only on a demo warehouse', async () => {
    const t = await tempWarehouse();
    try {
      await expect(addDemoUsers(t.wh, 'demo')).rejects.toThrow(/at least 10 characters/);
      await setAppSetting(t.wh, 'demo', 'true');
      await addDemoUsers(t.wh, 'demo');
      expect(await checkLogin(t.wh, 'exec', 'demo')).toEqual({ name: 'exec', role: 'executive', region_code: null });
    } finally {
      t.dispose();
    }
  }, 60_000);
});
