// One writer: while the server holds the warehouse, it leaves `<warehouse>.server.json` (URL, token,
// pid; mode 0600) beside it. Every CLI calls `findServer` first (cli/through-server.ts) and, when a
// server is running, does its work over HTTP with that token instead of opening the file (which
// DuckDB would refuse).
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

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
