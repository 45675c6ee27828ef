// Who is calling: a session cookie (browser), or the server file's token (the CLIs on this machine,
// acting as admin). Sessions live in memory for speed and in the warehouse (as SHA-256 of the token)
// so that a restart does not log the wall screens out.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { HttpError } from './http-error.ts';
import { type Role, type User, listUsers, upgradePasswordHash } from '../warehouse/users.ts';
import type { AuditLog } from './audit.ts';
import type { Logger } from './ingest-service.ts';

export const SESSION_COOKIE = 'tca_session';

export interface Principal {
  name: string;
  role: Role;
  /** The region a regional user is limited to; null = every region. */
  region: string | null;
  via: 'session' | 'token';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed cookie is no cookie
    }
  }
  return out;
}

interface Session {
  user: string;
  expires: number;
}

export class Sessions {
  private sessions = new Map<string, Session>();
  private users = new Map<string, User>();

  /** `db` is a connection of its own: a login must not wait behind a long load. */
  constructor(
    private readonly db: Warehouse,
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  async load(): Promise<void> {
    await this.db.run('delete from sessions where expires_at <= $t::timestamp', { t: shanghaiTimestamp(this.now()) });
    const rows = await this.db.all<{ token_hash: string; user_name: string; expires_at: Date }>('select token_hash, user_name, expires_at from sessions');
    await this.refreshUsers();
    for (const r of rows) {
      // expires_at is Shanghai wall time read back as if UTC; shift it to the instant.
      this.sessions.set(r.token_hash, { user: r.user_name, expires: r.expires_at.getTime() - 8 * 3600_000 });
    }
  }

  /** Re-reads the users (after add/remove): roles and regions apply to open sessions at once. */
  async refreshUsers(): Promise<void> {
    this.users = new Map((await listUsers(this.db)).map((u) => [u.name, u]));
    for (const [hash, s] of this.sessions) if (!this.users.has(s.user)) this.sessions.delete(hash);
  }

  async create(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = sha256(token);
    const now = this.now();
    const expires = now.getTime() + this.ttlMs;
    await this.db.run('insert into sessions values ($h, $u, $c::timestamp, $e::timestamp)', {
      h: hash,
      u: user.name,
      c: shanghaiTimestamp(now),
      e: shanghaiTimestamp(new Date(expires)),
    });
    this.users.set(user.name, user);
    this.sessions.set(hash, { user: user.name, expires });
    if (this.sessions.size % 1000 === 0) {
      for (const [h, s] of this.sessions) if (s.expires <= now.getTime()) this.sessions.delete(h);
    }
    return token;
  }

  get(token: string): Principal | null {
    const hash = sha256(token);
    const s = this.sessions.get(hash);
    if (!s) return null;
    if (s.expires <= this.now().getTime()) {
      this.sessions.delete(hash);
      return null;
    }
    const u = this.users.get(s.user);
    return u ? { name: u.name, role: u.role, region: u.role === 'regional' ? u.region_code : null, via: 'session' } : null;
  }

  /** Ends every session of the user in memory (the warehouse rows went with the password change). */
  endUser(name: string): void {
    for (const [hash, s] of this.sessions) if (s.user === name) this.sessions.delete(hash);
  }

  async destroy(token: string): Promise<void> {
    const hash = sha256(token);
    this.sessions.delete(hash);
    await this.db.run('delete from sessions where token_hash = $h', { h: hash });
  }
}

/** A login attempt let through by the limiter: counted as failed until `succeed`; `done` frees its verification slot. */
export interface LoginAttempt {
  succeed(): void;
  done(): void;
}

interface Lock {
  /** Failed (or still running) attempts since the last success, within the window. */
  failures: number;
  last: number;
  until: number;
}

/**
 * Login attempts, counted *before* the password is verified (so a burst of parallel guesses cannot
 * all slip in while the first are still hashing):
 * - per (user name, client address): `perUser` failures lock that pair, for 30 s, then twice as long
 *   after every further failure (up to the window) — another address, e.g. the real user's, still
 *   logs in;
 * - per client address: `perAddress` failures in a sliding window, whatever the names;
 * - at most `maxVerifying` password checks (scrypt, ~0.3 s and 128 MiB each) at once, server-wide.
 * Past any of these the attempt is refused (429) and no password is checked.
 */
export class LoginLimiter {
  private locks = new Map<string, Lock>();
  private addresses = new Map<string, number[]>();
  private verifying = 0;

  constructor(
    private readonly perUser: number,
    private readonly perAddress: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
    private readonly maxVerifying = 8,
    private readonly firstDelayMs = 30_000,
  ) {}

  private recentAddress(address: string): number[] {
    const since = this.now().getTime() - this.windowMs;
    const list = (this.addresses.get(address) ?? []).filter((t) => t > since);
    if (list.length) this.addresses.set(address, list);
    else this.addresses.delete(address);
    return list;
  }

  private lock(key: string): Lock | undefined {
    const t = this.now().getTime();
    const l = this.locks.get(key);
    if (l && t - l.last > this.windowMs && t >= l.until) {
      this.locks.delete(key);
      return undefined;
    }
    return l;
  }

  private static refuse(waitMs: number): never {
    const wait = Math.max(1, Math.ceil(waitMs / 1000));
    throw new HttpError(429, `too many failed logins; try again in ${wait} s / 登录失败次数过多,请 ${wait} 秒后再试`);
  }

  /** Counts the attempt as failed (until it succeeds) and takes a verification slot, or throws 429. */
  begin(user: string, address: string): LoginAttempt {
    const t = this.now().getTime();
    const key = `${user.toLowerCase()}\n${address}`;
    const lock = this.lock(key);
    if (lock && t < lock.until) LoginLimiter.refuse(lock.until - t);
    const recent = this.recentAddress(address);
    if (recent.length >= this.perAddress) LoginLimiter.refuse(Math.min(...recent) + this.windowMs - t);
    if (this.verifying >= this.maxVerifying) {
      throw new HttpError(429, 'too many logins at once; try again in a moment / 同时登录的请求过多,请稍后再试');
    }
    const l = lock ?? { failures: 0, last: t, until: 0 };
    l.failures += 1;
    l.last = t;
    if (l.failures >= this.perUser) l.until = t + Math.min(this.windowMs, this.firstDelayMs * 2 ** (l.failures - this.perUser));
    this.locks.set(key, l);
    this.addresses.set(address, [...recent, t]);
    // Guessing with ever new names must not grow memory without end: drop what left the window.
    if (this.locks.size > 10_000) for (const k of [...this.locks.keys()]) this.lock(k);
    if (this.addresses.size > 10_000) for (const a of [...this.addresses.keys()]) this.recentAddress(a);
    this.verifying += 1;
    let open = true;
    return {
      succeed: () => {
        this.locks.delete(key);
        const list = this.addresses.get(address);
        const i = list?.lastIndexOf(t) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      },
      done: () => {
        if (open) this.verifying -= 1;
        open = false;
      },
    };
  }
}

export function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The caller, or null when neither a valid session cookie nor the server token came with the request. */
export function identify(req: Request, sessions: Sessions, serverToken: string): Principal | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    return tokenMatches(auth.slice(7).trim(), serverToken) ? { name: 'cli', role: 'admin', region: null, via: 'token' } : null;
  }
  const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  return token ? sessions.get(token) : null;
}

/**
 * At a successful login, a password hash made with weaker scrypt parameters than today's is made
 * again with today's (the password is at hand only then). A failure is logged; the login goes on.
 */
export async function upgradeHash(ctx: { authDb: Warehouse; audit: AuditLog; log: Logger }, name: string, password: string, stored: string): Promise<void> {
  try {
    const done = await upgradePasswordHash(ctx.authDb, name, password, stored);
    if (done) ctx.audit.record({ name, role: null }, { action: 'password_upgrade', target: name, detail: { from: stored.split('$').slice(0, 4).join('$') } });
  } catch (err) {
    ctx.log.error(`login ${name}: the password hash could not be upgraded: ${(err as Error).message}`);
  }
}
