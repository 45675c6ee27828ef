// A clean stop: SIGTERM sent to the top process of `npm run serve` or `npm start` (npm → tsx → node → the node
// re-run with a bigger libuv pool) stops the whole chain with exit 0 within 10 s, closing an open SSE
// stream and leaving neither the server file nor a process behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverFilePath } from '../server/server-file.ts';
import { addUser, getAppSetting } from '../warehouse/users.ts';
import { Warehouse } from '../warehouse/db.ts';
import { tempWarehouse } from './helpers/temp-warehouse.ts';
import { loadDemo } from './helpers/test-server.ts';

const ROOT = join(import.meta.dirname, '..');
const started: number[] = [];
const cleanups: (() => void)[] = [];

afterAll(() => {
  // Whatever a failed test left running.
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const c of cleanups) c();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process and every process below it, from /proc (Linux). */
function tree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …; comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

async function until<T>(what: string, probe: () => T | null | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts `npm run <script>` on the warehouse, opens an SSE stream, sends SIGTERM to npm and checks the stop. */
async function stopsCleanly(script: 'serve' | 'start', prepare?: (wh: Warehouse, dir: string) => Promise<void>): Promise<void> {
  const t = await tempWarehouse();
  cleanups.push(t.dispose);
  await prepare?.(t.wh, t.dir);
  await addUser(t.wh, { name: 'analyst', role: 'analyst', password: 'pw-analyst-1' });
  t.wh.close();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', WAREHOUSE: t.path };
  delete env.UV_THREADPOOL_SIZE; // the re-run with the bigger pool is part of what is tested
  const npm = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  started.push(npm.pid!);
  const exit = exited(npm);

  const file = serverFilePath(t.path);
  const info = await until('the server file', () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number }) : null), 60_000);
  const pids = tree(npm.pid!);
  started.push(...pids);
  expect(pids).toContain(info.pid);
  expect(pids.length).toBeGreaterThanOrEqual(4); // npm, tsx, node, the re-run node (a shell too when not exec'd)

  const login = await fetch(`${info.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'analyst', password: 'pw-analyst-1' }) });
  expect(login.status).toBe(200);
  const events = await fetch(`${info.url}/api/events`, { headers: { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]! } });
  expect(events.status).toBe(200);
  const reader = events.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/retry|hello/);
  const streamEnded = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // cut: ended as well
    }
    return true;
  })();

  const t0 = Date.now();
  npm.kill('SIGTERM');
  const result = await Promise.race([exit, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
  expect(result, `npm did not exit within 10 s:\n${output}`).toEqual({ code: 0, signal: null });
  expect(Date.now() - t0).toBeLessThan(10_000);
  expect(await streamEnded).toBe(true);
  expect(existsSync(file)).toBe(false);
  await until('every process of the chain to end', () => pids.every((p) => !alive(p)), 2000).catch(() => undefined);
  expect(pids.filter(alive)).toEqual([]);
}

describe('SIGTERM to the top process', () => {
  it('npm run serve: exits 0 within 10 s, closes the SSE stream, removes the server file, leaves no process', async () => {
    await stopsCleanly('serve');
  }, 90_000);

  it('npm start (a warehouse with data, so nothing is generated): the same', async () => {
    await stopsCleanly('start', async (wh, dir) => {
      await loadDemo(wh, dir, { subscribers: 300, months: 1 });
    });
  }, 120_000);

  it('npm start on an empty warehouse, stopped while the demo loads: exit 0 within 10 s, nothing left; the next start finishes the demo exactly once', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.dispose);
    t.wh.close();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', WAREHOUSE: t.path, DEMO_SUBSCRIBERS: '20000', DEMO_MONTHS: '3' };
    delete env.UV_THREADPOOL_SIZE;
    const start = () => {
      const npm = spawn('npm', ['run', '--silent', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      started.push(npm.pid!);
      const run = { npm, output: '', exit: exited(npm) };
      const take = (d: Buffer) => (run.output += d.toString());
      npm.stdout!.on('data', take);
      npm.stderr!.on('data', take);
      return run;
    };

    // 1. Stopped after the second extract is loaded, while the third loads.
    const first = start();
    await until('the second extract to load', () => / 2\/\d+ /.test(first.output.split('装载').slice(1).join('')), 90_000);
    const pids = tree(first.npm.pid!);
    started.push(...pids);
    const t0 = Date.now();
    first.npm.kill('SIGTERM');
    const result = await Promise.race([first.exit, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(result, `npm did not exit within 10 s:\n${first.output}`).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(first.output).toContain('the next npm start finishes the demo warehouse');
    expect(first.output).not.toContain('serving at');
    expect(existsSync(serverFilePath(t.path))).toBe(false);
    await until('every process of the chain to end', () => pids.every((p) => !alive(p)), 2000).catch(() => undefined);
    expect(pids.filter(alive)).toEqual([]);

    // 2. The next start finishes the demo, loads each extract once, and serves.
    const second = start();
    await until('the server file', () => existsSync(serverFilePath(t.path)), 120_000);
    expect(second.output).toContain('finishing the demo warehouse');
    second.npm.kill('SIGTERM');
    expect(await second.exit).toEqual({ code: 0, signal: null });
    const wh = await Warehouse.open({ path: t.path, memoryLimit: '1GB' });
    try {
      const files = readdirSync(join(t.dir, 'demo-extracts')).length;
      const loads = await wh.all<{ status: string; n: bigint }>(`select status, count(*) as n from loads group by status order by status`);
      const byStatus = Object.fromEntries(loads.map((l) => [l.status, Number(l.n)]));
      // Every generated file loaded once; the ones the first start had loaded were skipped as duplicates.
      expect(byStatus.loaded).toBe(files);
      expect(byStatus.duplicate).toBeGreaterThanOrEqual(2);
      const slices = await wh.one<{ n: bigint; d: bigint }>(`select count(*) as n, count(distinct (kind, region_code, period)) as d from load_slices where superseded_by_load is null`);
      expect(slices!.n).toBe(slices!.d);
      expect(await getAppSetting(wh, 'demo')).toBe('true');
      expect(await getAppSetting(wh, 'demo_seeding')).toBe('false');
    } finally {
      wh.close();
    }
  }, 240_000);
});
