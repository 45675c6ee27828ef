// The staging folder is the only one the server's DuckDB may read: every file a load or a sandbox
// upload reads is put there first — hard-linked when it is on the same disk (no copy, instant),
// else copied.
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface StagedFile {
  /** Where DuckDB reads it. */
  path: string;
  /** The name the user knows it by: reported and recorded. */
  name: string;
  cleanup: () => void;
}

/** A fresh folder under staging for one request's files. */
export function stagingFolder(stagingDir: string, prefix: string): { dir: string; remove: () => void } {
  mkdirSync(stagingDir, { recursive: true });
  const dir = mkdtempSync(join(stagingDir, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A file's name made safe to create in a folder: no path, no control characters. */
export function safeName(name: string): string {
  const base = [...basename(name.replace(/\\/g, '/'))].map((ch) => (ch.charCodeAt(0) < 32 ? '_' : ch)).join('').trim();
  return base && base !== '.' && base !== '..' ? base.slice(0, 200) : 'upload';
}

/**
 * Links (or copies) `src` into a fresh staging folder under its own base name, so kind and format
 * detection see the same name. A missing source leaves a path that does not exist: the load then
 * refuses it with the same message as without a server.
 */
export function stageLocalFile(stagingDir: string, src: string, name: string): StagedFile {
  const folder = stagingFolder(stagingDir, 'local');
  const path = join(folder.dir, safeName(src));
  let real: string;
  try {
    // The file itself, never a symlink: DuckDB checks the path it is given, not where a link points.
    real = realpathSync(src);
    if (statSync(real).isDirectory()) {
      mkdirSync(path);
      return { path, name, cleanup: folder.remove };
    }
  } catch {
    return { path, name, cleanup: folder.remove };
  }
  try {
    linkSync(real, path);
  } catch {
    try {
      copyFileSync(real, path);
    } catch {
      // unreadable: left missing, refused by the load
    }
  }
  return { path, name, cleanup: folder.remove };
}
