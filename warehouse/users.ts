// Users of the server: name, role, the region a regional user is limited to, and a scrypt hash of
// the password. The server checks logins against this table; `npm run users` manages it.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { Warehouse } from './db.ts';
import { UserError } from './errors.ts';

export const ROLES = ['executive', 'analyst', 'regional', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  name: string;
  role: Role;
  /** The only region a regional user may see; null for every other role. */
  region_code: string | null;
}

export interface NewUser extends User {
  password: string;
}

// N = 2^17 (OWASP) costs ~0.3 s and 128 MiB per hash: slow for guessing, fast enough for a login.
// A hash carries its parameters (scrypt$N$r$p$salt$key), so hashes made at N = 2^15 still verify.
const SCRYPT = { N: 1 << 17, r: 8, p: 1, keylen: 32 };
/** Parameters a stored hash may ask for: up to 256 MiB (scrypt needs 128·N·r bytes and a little more). */
const MAXMEM = 256 << 20;
const MAX_N = 1 << 17;
/** New passwords have at least this many characters; only the demo users of a demo warehouse have fewer. */
export const MIN_PASSWORD_LENGTH = 10;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { N, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  // A damaged or hostile row must not make the server spend more than a login's worth.
  if (!(Number(n) >= 2 && Number(n) <= MAX_N && Number(r) >= 1 && Number(r) <= 16 && Number(p) >= 1 && Number(p) <= 4)) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(key, expected);
}

// A hash to check against when the user does not exist, so that a wrong name takes as long as a
// wrong password and timing does not tell which names exist.
let decoy: Promise<string> | null = null;

export interface PasswordRule {
  /** Only for the demo users of a demo warehouse (`npm start` prints their short password). */
  allowShort?: boolean;
}

export function checkNewPassword(password: string, rule: PasswordRule = {}): void {
  const min = rule.allowShort ? 4 : MIN_PASSWORD_LENGTH;
  if (password.length < min) throw new UserError(`the password must have at least ${min} characters / 密码至少 ${min} 个字符`);
  if (password.length > 1024) throw new UserError('the password is too long / 密码过长');
}

export function normalizeNewUser(input: { name: string; role: string; region_code?: string | null; password: string }, rule: PasswordRule = {}): NewUser {
  const name = input.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new UserError(`'${input.name}' is not a valid user name: letters, digits, '_', '.', '-' (up to 64) / 用户名无效`);
  }
  if (!isRole(input.role)) throw new UserError(`unknown role '${input.role}' (expected ${ROLES.join(', ')}) / 角色无效`);
  const region = input.region_code?.trim() || null;
  if (input.role === 'regional' && !region) throw new UserError('a regional user needs --region CODE / 地市用户必须指定地市');
  if (input.role !== 'regional' && region) throw new UserError(`only regional users have a region (${input.role} sees all regions) / 仅地市用户可指定地市`);
  checkNewPassword(input.password, rule);
  return { name, role: input.role, region_code: region, password: input.password };
}

/**
 * Creates the user, or replaces the role, region and password of an existing one — whose sessions
 * then end, as with a password change (the server also drops them from memory: Sessions.endUser).
 */
export async function addUser(
  wh: Warehouse,
  input: { name: string; role: string; region_code?: string | null; password: string },
  rule: PasswordRule = {},
): Promise<User> {
  const user = normalizeNewUser(input, rule);
  if (user.region_code) {
    const known = await wh.one('select 1 from regions where code = $c', { c: user.region_code });
    if (!known) throw new UserError(`unknown region ${user.region_code} (see npm run regions -- list) / 地市编码不存在`);
  }
  const hash = await hashPassword(user.password);
  await wh.transaction(async () => {
    await wh.run('delete from sessions where user_name = $n', { n: user.name });
    await wh.run(
      `insert into users values ($name, $role, $region, $hash, $t::timestamp)
       on conflict (name) do update set role = excluded.role, region_code = excluded.region_code, password_hash = excluded.password_hash`,
      { name: user.name, role: user.role, region: user.region_code, hash, t: shanghaiTimestamp() },
    );
  });
  return { name: user.name, role: user.role, region_code: user.region_code };
}

export async function listUsers(wh: Warehouse): Promise<User[]> {
  return wh.all<User>('select name, role, region_code from users order by name');
}

export async function getUser(wh: Warehouse, name: string): Promise<User | null> {
  return (await wh.one<User>('select name, role, region_code from users where name = $n', { n: name })) ?? null;
}

/** Sets a new password (at least MIN_PASSWORD_LENGTH characters) and ends every session of the user; false when there is no such user. */
export async function setPassword(wh: Warehouse, name: string, password: string): Promise<boolean> {
  checkNewPassword(password);
  if (!(await getUser(wh, name))) return false;
  const hash = await hashPassword(password);
  await wh.transaction(async () => {
    await wh.run('delete from sessions where user_name = $n', { n: name });
    await wh.run('update users set password_hash = $h where name = $n', { h: hash, n: name });
  });
  return true;
}

/** Removes the user and every session of theirs; false when there was no such user. */
export async function removeUser(wh: Warehouse, name: string): Promise<boolean> {
  const existing = await getUser(wh, name);
  if (!existing) return false;
  await wh.transaction(async () => {
    await wh.run('delete from sessions where user_name = $n', { n: name });
    await wh.run('delete from users where name = $n', { n: name });
  });
  return true;
}

/** Whether a stored hash was made with weaker parameters than hashPassword's today (scrypt N < 2^17, r < 8). */
export function isWeakHash(stored: string): boolean {
  const [scheme, n, r] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < SCRYPT.N || Number(r) < SCRYPT.r;
}

/**
 * Re-hashes the (just verified) password with today's parameters, unless the stored hash changed
 * meanwhile (a password change in between wins). True when the row was updated.
 */
export async function upgradePasswordHash(wh: Warehouse, name: string, password: string, stored: string): Promise<boolean> {
  const hash = await hashPassword(password);
  const rows = await wh.all('update users set password_hash = $h where name = $n and password_hash = $old returning name', { h: hash, n: name, old: stored });
  return rows.length > 0;
}

/**
 * The user when the password matches, else null; takes about as long either way. `onWeakHash` is
 * told the stored hash of a matching password made with weaker parameters than today's (isWeakHash).
 */
export async function checkLogin(wh: Warehouse, name: string, password: string, onWeakHash?: (stored: string) => Promise<void>): Promise<User | null> {
  const row = await wh.one<User & { password_hash: string }>(
    'select name, role, region_code, password_hash from users where name = $n',
    { n: name },
  );
  if (!row) {
    decoy ??= hashPassword('decoy password');
    await verifyPassword(password, await decoy);
    return null;
  }
  if (!(await verifyPassword(password, row.password_hash))) return null;
  if (onWeakHash && isWeakHash(row.password_hash)) await onWeakHash(row.password_hash);
  return { name: row.name, role: row.role, region_code: row.region_code };
}

export async function getAppSetting(wh: Warehouse, key: string): Promise<string | null> {
  return (await wh.one<{ value: string }>('select value from app_settings where key = $k', { k: key }))?.value ?? null;
}

export async function setAppSetting(wh: Warehouse, key: string, value: string): Promise<void> {
  await wh.run('insert into app_settings values ($k, $v) on conflict (key) do update set value = excluded.value', { k: key, v: value });
}
