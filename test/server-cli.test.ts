// One writer: while a server holds the warehouse, the CLIs find its server file and work through its
// API — with the same output and exit codes as without a server. A server file left by a dead
// process is ignored; a live one that cannot be reached is exit 3.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFilePath } from '../server/server-file.ts';
import { FIXTURES, tempDir } from './helpers/temp-warehouse.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';
import { runCliScript, runCommand } from './helpers/run-command.ts';

let ts: TestServer;
let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  ts = await testServer({ serverFile: true });
  tmp = tempDir('server-cli-');
}, 60_000);
afterAll(async () => {
  await ts?.close();
  tmp?.remove();
});

const run = runCommand;
const cli = runCliScript;
const fx = (name: string) => join(FIXTURES, 'ingest', name);

describe('the server file', () => {
  it('is written beside the warehouse, readable by its owner only', () => {
    const file = serverFilePath(ts.path);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('CLIs while the server runs', () => {
  it('npm run ingest gives the same --json summary and exit code as without a server', async () => {
    const files = [fx('subscriber_ALL_202609.csv'), fx('complaint_330300_202609.csv'), join(tmp.dir, 'missing_revenue.csv'), fx('subscriber_ALL_202609.csv')];
    const direct = await cli('cli/ingest.ts', ['--db', join(tmp.dir, 'direct.duckdb'), '--json', ...files]);
    const served = await run('npm', ['run', '--silent', 'ingest', '--', '--db', ts.path, '--json', ...files]);
    expect(served.code).toBe(direct.code);
    expect(served.code).toBe(1);
    expect(JSON.parse(served.stdout)).toEqual(JSON.parse(direct.stdout));
    expect(served.stderr).toMatch(/through the server/);
  }, 60_000);

  it('npm run users adds a user the server accepts at once; list and remove', async () => {
    expect((await cli('cli/users.ts', ['--db', ts.path, 'add', 'lishui', '--role', 'regional', '--region', '331100'], 'pw-lishui-1\n')).code).toBe(0);
    const login = await fetch(`${ts.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'lishui', password: 'pw-lishui-1' }) });
    expect(await login.json()).toEqual({ user: 'lishui', role: 'regional', region: '331100' });
    expect(JSON.parse((await cli('cli/users.ts', ['--db', ts.path, 'list', '--json'])).stdout).users).toContainEqual({ name: 'lishui', role: 'regional', region_code: '331100' });
    expect((await cli('cli/users.ts', ['--db', ts.path, 'remove', 'lishui'])).code).toBe(0);
    const gone = await cli('cli/users.ts', ['--db', ts.path, 'remove', 'lishui']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/no user named lishui/);
  }, 60_000);

  it('npm run regions adds, loads and lists through the server', async () => {
    expect((await cli('cli/regions.ts', ['--db', ts.path, 'add', '440300', '深圳市', 'Shenzhen'])).code).toBe(0);
    const csv = join(tmp.dir, 'cities.csv');
    writeFileSync(csv, 'code,name\n4401,广州市\n4419,东莞市\n');
    const load = await cli('cli/regions.ts', ['--db', ts.path, 'load', csv]);
    expect(load.stdout).toMatch(/2 added/);
    const list = JSON.parse((await cli('cli/regions.ts', ['--db', ts.path, 'list', '--json'])).stdout) as { regions: { code: string }[] };
    expect(list.regions.map((r) => r.code)).toEqual(expect.arrayContaining(['440100', '440300', '441900', '330300']));
  }, 60_000);
});

describe('a server file without a server', () => {
  it('is ignored when its process is gone: the CLI opens the warehouse itself', async () => {
    const db = join(tmp.dir, 'stale.duckdb');
    writeFileSync(serverFilePath(db), JSON.stringify({ url: 'http://127.0.0.1:9', token: 'x', pid: 2 ** 22 + 12345 }));
    const r = await cli('cli/regions.ts', ['--db', db, 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).regions).toHaveLength(11);
  }, 30_000);

  it('exits 3 when the server it names cannot be reached', async () => {
    const db = join(tmp.dir, 'unreachable.duckdb');
    writeFileSync(serverFilePath(db), JSON.stringify({ url: 'http://127.0.0.1:9', token: 'x', pid: process.pid }));
    const r = await cli('cli/ingest.ts', ['--db', db, '--json', fx('subscriber_ALL_202609.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot be reached/);
  }, 30_000);
});
