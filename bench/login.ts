// `npm run bench -- login [--subscribers N] [--months M] [--duration S] [--connections C] [--json]`:
// the boards stay fast while someone hammers the login (issue 11). The server as deployed (`npm run
// serve`, its own process) over a demo warehouse; /api/kpis under autocannon (C connections, S seconds)
//   1. alone, then
//   2. while a burst of 100 logins arrives every 2 s: 60 wrong passwords for one user (the attacked
//      account) and 40 right ones for another, all at once, from one address.
// Each burst's answers are counted: the limiter lets at most 5 wrong guesses per (user, address) and
// at most 8 password checks at a time through (scrypt N = 2^17: ~0.3 s and 128 MiB each); the rest are
// 429 without hashing. The figure that matters is /api/kpis p99 during the bursts (target ≤ 150 ms).
import { type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addUser } from '../warehouse/users.ts';
import { BENCH_END, BENCH_OUT, BENCH_PASSWORD, buildDemoWarehouse } from './demo-warehouse.ts';
import { type Load, hammer, login, serve } from './server.ts';

const log = (m: string) => process.stderr.write(`${m}\n`);
const BURST_EVERY_MS = 2000;

interface Burst {
  ok: number;
  wrong: number;
  limited: number;
  other: number;
}

async function attempt(url: string, user: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });
  await res.arrayBuffer();
  return res.status;
}

/** 60 wrong guesses for `victim` and 40 right logins of `user`, all at once. */
async function burst(url: string, victim: string, user: string): Promise<Burst> {
  const wrong = Array.from({ length: 60 }, (_v, i) => attempt(url, victim, `wrong-guess-${i}`));
  const right = Array.from({ length: 40 }, () => attempt(url, user, BENCH_PASSWORD));
  const statuses = await Promise.all([...wrong, ...right]);
  const b: Burst = { ok: 0, wrong: 0, limited: 0, other: 0 };
  for (const s of statuses) {
    if (s === 200) b.ok++;
    else if (s === 401) b.wrong++;
    else if (s === 429) b.limited++;
    else b.other++;
  }
  return b;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '100000' },
      months: { type: 'string', default: '3' },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '16' },
      json: { type: 'boolean', default: false },
    },
  });
  const subscribers = Number(values.subscribers);
  const months = Number(values.months);
  const o = { duration: Number(values.duration), connections: Number(values.connections) };
  const template = await buildDemoWarehouse(
    join(BENCH_OUT, `login-${subscribers}-${months}.duckdb`),
    join(BENCH_OUT, `login-${subscribers}-${months}-extracts`),
    { subscribers, months, end: BENCH_END },
    async (wh) => {
      for (const role of ['executive', 'analyst'] as const) await addUser(wh, { name: role, role, password: BENCH_PASSWORD });
      await addUser(wh, { name: 'attacked', role: 'executive', password: BENCH_PASSWORD });
    },
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-login-'));
  const db = join(dir, 'warehouse.duckdb');
  copyFileSync(template, db);
  let child: ChildProcess | null = null;
  try {
    const started = await serve(db);
    child = started.child;
    const { url } = started.server;
    const exec = await login(url, 'executive');
    const periods = [BENCH_END];

    log(`/api/kpis alone: ${o.connections} connections for ${o.duration} s …`);
    await hammer(url, exec, periods, { ...o, duration: 2 }); // warm the cache and the connections
    const alone: Load = await hammer(url, exec, periods, o);

    log(`/api/kpis while 100 logins arrive every ${BURST_EVERY_MS / 1000} s …`);
    const bursts: Burst[] = [];
    let stop = false;
    const attacking = (async () => {
      while (!stop) {
        const t0 = Date.now();
        bursts.push(await burst(url, 'attacked', 'analyst'));
        await new Promise((r) => setTimeout(r, Math.max(0, BURST_EVERY_MS - (Date.now() - t0))));
      }
    })();
    const during: Load = await hammer(url, exec, periods, o);
    stop = true;
    await attacking;

    const sum = (k: keyof Burst) => bursts.reduce((a, b) => a + b[k], 0);
    const result = {
      bench: 'login',
      subscribers,
      bursts: bursts.length,
      first_burst: bursts[0],
      logins_ok: sum('ok'),
      wrong_verified: sum('wrong'),
      refused_429: sum('limited'),
      other_status: sum('other'),
      p50_ms: alone.p50,
      p99_ms: alone.p99,
      p50_during_logins_ms: during.p50,
      p99_during_logins_ms: during.p99,
      errors: alone.errors + during.errors,
      requests: alone.requests + during.requests,
    };
    console.log(`
| measure | result | target (issue 11) |
|---|---|---|
| /api/kpis alone, p50 / p99 | ${alone.p50} / ${alone.p99} ms | — |
| /api/kpis during the login bursts, p50 / p99 | ${during.p50} / ${during.p99} ms | p99 ≤ 150 ms |
| p99 during / alone | ${(during.p99 / Math.max(1, alone.p99)).toFixed(2)} | — |
| bursts of 100 logins (60 wrong + 40 right) | ${bursts.length} | — |
| first burst: right logins 200 / wrong guesses 401 / 429 | ${bursts[0]?.ok} / ${bursts[0]?.wrong} / ${bursts[0]?.limited} | wrong 401 ≤ 5 |
| all bursts: 200 / 401 / 429 / other | ${result.logins_ok} / ${result.wrong_verified} / ${result.refused_429} / ${result.other_status} | other = 0 |
| /api/kpis errors (requests) | ${result.errors} (${result.requests}) | 0 |`);
    if (values.json) console.log(JSON.stringify(result));
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
