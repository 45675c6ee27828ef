// One writer: while the server holds the warehouse, it leaves `<warehouse>.server.json` (URL, token,
// pid; mode 0600) beside it. Every CLI calls `findServer` first and, when a server is running, does
// its work over HTTP with that token instead of opening the file (which DuckDB would refuse).
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { EXIT, UserError, errorMessage } from './errors.ts';

export interface ServerFile {
  url: string;
  token: string;
  pid: number;
}

export function serverFilePath(dbPath: string): string {
  return `${dbPath}.server.json`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeServerFile(dbPath: string, info: ServerFile): void {
  const path = serverFilePath(dbPath);
  const temp = `${path}.${process.pid}.tmp`;
  // Created 0600 before the token is written, then renamed into place: never readable by others.
  writeFileSync(temp, JSON.stringify(info) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Removes the file only when it is still ours (another server may have replaced a stale one). */
export function removeServerFile(dbPath: string, token: string): void {
  const current = readRaw(dbPath);
  if (current && current.token !== token) return;
  rmSync(serverFilePath(dbPath), { force: true });
}

function readRaw(dbPath: string): ServerFile | null {
  let text: string;
  try {
    text = readFileSync(serverFilePath(dbPath), 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<ServerFile>;
    if (typeof v.url === 'string' && typeof v.token === 'string' && typeof v.pid === 'number') return { url: v.url, token: v.token, pid: v.pid };
  } catch {
    // a half-written or foreign file: treat as absent
  }
  return null;
}

/** The running server for this warehouse, or null. A file left by a process that died is ignored. */
export function findServer(dbPath: string): ServerFile | null {
  if (dbPath === ':memory:') return null;
  const info = readRaw(dbPath);
  return info && alive(info.pid) ? info : null;
}

export interface ServerReply<T> {
  status: number;
  body: T;
}

/**
 * One request to the server with its token. Unreachable → exit 3 (as a locked warehouse); an
 * {"error"} reply → UserError with that message (exit 1, as the same failure without a server).
 */
export async function callServer<T>(
  server: ServerFile,
  method: string,
  path: string,
  body?: unknown,
  opts: { accept?: number[] } = {},
): Promise<ServerReply<T>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, server.url), {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
  } catch (err) {
    throw new UserError(`the server at ${server.url} (pid ${server.pid}) cannot be reached: ${errorMessage(err)}`, EXIT.locked);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: text.slice(0, 200) };
  }
  if (res.ok || opts.accept?.includes(res.status)) return { status: res.status, body: parsed as T };
  const message = (parsed as { error?: unknown } | null)?.error;
  throw new UserError(typeof message === 'string' ? message : `the server answered HTTP ${res.status}`, EXIT.failed);
}
