// `npm run users` as an operator uses it: the password from stdin only, stored as a scrypt hash,
// list and remove; and the checks on names, roles and regions.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { UserError } from '../warehouse/errors.ts';
import { checkLogin, normalizeNewUser } from '../warehouse/users.ts';
import { tempDir } from './helpers/temp-warehouse.ts';

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
    expect(users(['add', 'wz', '--role', 'regional', '--region', '330300'], 'sekret-1\n').code).toBe(0);
    expect(users(['add', 'boss', '--role', 'executive'], 'sekret-2\n').code).toBe(0);
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
      expect(row?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row?.password_hash).not.toContain('sekret');
      expect(await checkLogin(wh, 'wz', 'sekret-1')).toEqual({ name: 'wz', role: 'regional', region_code: '330300' });
      expect(await checkLogin(wh, 'wz', 'wrong')).toBeNull();
      expect(await checkLogin(wh, 'nobody', 'sekret-1')).toBeNull();
    } finally {
      wh.close();
    }
  }, 60_000);

  it('refuses bad input: a usage error before the warehouse is opened, an unknown region after', () => {
    for (const bad of [
      { name: 'x', role: 'boss', password: 'pw12' },
      { name: 'x', role: 'regional', password: 'pw12' },
      { name: 'x', role: 'analyst', region_code: '330300', password: 'pw12' },
      { name: 'x', role: 'analyst', password: 'pw' },
      { name: 'bad name', role: 'analyst', password: 'pw12' },
    ]) {
      expect(() => normalizeNewUser(bad), JSON.stringify(bad)).toThrow(UserError);
    }
    expect(users(['add', 'x', '--role', 'boss'], 'pw12\n').code).toBe(2);
    const unknownRegion = users(['add', 'x', '--role', 'regional', '--region', '999999'], 'pw12\n');
    expect(unknownRegion.code).toBe(1);
    expect(unknownRegion.stderr).toMatch(/unknown region/);
  }, 60_000);
});
