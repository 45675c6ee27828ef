// Who is calling: a session cookie (browser), or the server file's token (the CLIs on this machine,
// acting as admin). Sessions live in memory for speed and in the warehouse (as SHA-256 of the token)
// so that a restart does not log the wall screens out.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { HttpError } from './http-error.ts';
import { type Role, type User, listUsers } from '../warehouse/users.ts';

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

  async destroy(token: string): Promise<void> {
    const hash = sha256(token);
    this.sessions.delete(hash);
    await this.db.run('delete from sessions where token_hash = $h', { h: hash });
  }
}

/**
 * Failed logins per user name and per client address in a sliding window: past the limit the next
 * attempt is refused (429) before the password is even checked, so guessing gets slow.
 */
export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly perUser: number,
    private readonly perAddress: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
  ) {}

  private recent(key: string): number[] {
    const since = this.now().getTime() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  check(user: string, address: string): void {
    const u = this.recent(`u:${user.toLowerCase()}`);
    const a = this.recent(`a:${address}`);
    if (u.length >= this.perUser || a.length >= this.perAddress) {
      const oldest = Math.min(...(u.length >= this.perUser ? u : a));
      const wait = Math.max(1, Math.ceil((oldest + this.windowMs - this.now().getTime()) / 1000));
      throw new HttpError(429, `too many failed logins; try again in ${wait} s / 登录失败次数过多,请稍后再试`);
    }
  }

  fail(user: string, address: string): void {
    const t = this.now().getTime();
    for (const key of [`u:${user.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), t]);
    // Guessing with ever new names must not grow memory without end: drop what left the window.
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.recent(key);
  }

  succeed(user: string): void {
    this.failures.delete(`u:${user.toLowerCase()}`);
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
