// Before `npm start` and `npm run serve`: builds the dashboard into dist/ when it is missing or older
// than its sources, so a fresh clone serves the board without a separate step and a second start costs
// nothing. Builds into a fresh folder and swaps it in, so a server already running never sees dist/
// half-written.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
// Everything the browser bundle is built from: its own folder and the two it may import.
const SOURCES = ['dashboard', 'charts', 'domain', 'vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), s.mtimeMs);
}

const built = existsSync(join(dist, 'index.html')) ? statSync(join(dist, 'index.html')).mtimeMs : 0;
const changed = Math.max(...SOURCES.map((p) => join(root, p)).filter(existsSync).map(newest));
if (changed > built) {
  process.stderr.write('building the dashboard (dist/) …\n');
  const next = join(root, `dist.building-${process.pid}`);
  // vite loads only when there is something to build: the up-to-date case stays instant.
  const { build } = await import('vite');
  try {
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
    rmSync(dist, { recursive: true, force: true });
    renameSync(next, dist);
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}
