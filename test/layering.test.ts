// The layering rules of eslint-layers.js bite: a wrong import is a lint error (and so fails npm test),
// the Svelte files ESLint does not read are checked through the same rules, and the table in
// docs/architecture.md says what the config enforces.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../eslint-layers.js';

const ROOT = join(import.meta.dirname, '..');
const LAYER_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

const eslint = new ESLint({ cwd: ROOT });

/** The layering errors ESLint reports for `code` as if it were the file at `path` (from the root). */
async function layeringErrors(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  // A file ESLint ignores or cannot parse would pass vacuously.
  const unread = result!.messages.filter((m) => m.fatal || (m.ruleId === null && /ignored/i.test(m.message)));
  if (unread.length) throw new Error(`${path}: ${unread.map((m) => m.message).join('; ')}`);
  return result!.messages.filter((m) => m.severity === 2 && LAYER_RULES.has(m.ruleId ?? '')).map((m) => `${path}:${m.line}: ${m.message}`);
}

describe('layering lint rules', () => {
  it.each([
    ["import { x } from '../server/app.ts';", 'warehouse/x.ts'],
    ["import { Warehouse } from '../../warehouse/db.ts';", 'dashboard/lib/x.ts'],
    ["import '../server/x.ts';", 'queries/x.ts'],
    ["import '../ingest/load.ts';", 'warehouse/x.ts'],
    ["import '../../dashboard/lib/api.ts';", 'warehouse/models/x.ts'],
    ["export * from '../server/app.ts';", 'warehouse/x.ts'],
    ["import type { Settings } from '../server/settings.ts';", 'queries/x.ts'],
    ["const load = () => import('../../warehouse/db.ts');", 'dashboard/lib/x.ts'],
    ["import '../cli/run-cli.ts';", 'server/x.ts'],
    ["import '../../cli/run-cli.ts';", 'server/routes/x.ts'],
    ["import '../queries/kpis.ts';", 'charts/x.ts'],
    ["import '../warehouse/db.ts';", 'domain/x.ts'],
    ["import { readFileSync } from 'node:fs';", 'domain/x.ts'],
    ["import { join } from 'path';", 'charts/x.ts'],
    ["import '../test/helpers/temp-warehouse.ts';", 'warehouse/x.ts'],
    ["import '../test/e2e/harness.ts';", 'warehouse/x.test.ts'],
  ])('%s in %s is an error', async (code, path) => {
    expect(await layeringErrors(code, path)).not.toEqual([]);
  });

  it.each([
    ["import { quoteIdent } from '../warehouse/db.ts';", 'queries/x.ts'],
    ["import { CONTRACTS } from '../domain/contracts.ts';", 'warehouse/x.ts'],
    ["import { formatValue } from '../../charts/format.ts';", 'dashboard/lib/x.ts'],
    ["import type { Kind } from '../../domain/contracts.ts';", 'dashboard/lib/x.ts'],
    ["const page = () => import('../pages/Board.svelte');", 'dashboard/lib/x.ts'],
    ["import { startServer } from '../server/runtime.ts';", 'cli/x.ts'],
    ["import '../../dashboard/lib/api.ts';", 'test/e2e/x.ts'],
    ["import { tempWarehouse } from '../test/helpers/temp-warehouse.ts';", 'warehouse/x.test.ts'],
    ["import { FIXTURES } from '../test/fixtures/three-cities.ts';", 'ingest/x.test.ts'],
    ["import { readFileSync } from 'node:fs';", 'charts/x.test.ts'],
  ])('%s in %s is allowed', async (code, path) => {
    expect(await layeringErrors(code, path)).toEqual([]);
  });
});

function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path, keep);
    return keep(e.name) ? [path] : [];
  });
}

describe('Svelte files', () => {
  // ESLint reads no .svelte here; their scripts go through the same rules as a .ts file beside them.
  it('import only dashboard/, charts/ and domain/', async () => {
    const files = walk(join(ROOT, 'dashboard'), (n) => n.endsWith('.svelte'));
    expect(files.length).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
        // Blank lines before the script keep ESLint's line numbers those of the .svelte file.
        const before = text.slice(0, m.index + m[0].indexOf('>') + 1).split('\n').length - 1;
        errors.push(...(await layeringErrors('\n'.repeat(before) + m[1], `${relative(ROOT, file)}.ts`)));
      }
    }
    expect(errors).toEqual([]);
  });

  it('a wrong import in a Svelte script is caught', async () => {
    expect(await layeringErrors("import { Warehouse } from '../../warehouse/db.ts';", 'dashboard/pages/X.svelte.ts')).not.toEqual([]);
  });
});

describe('the layering table', () => {
  it('covers every top-level folder that holds code', () => {
    const skip = new Set(['node_modules', 'dist', 'data', 'test-artifacts']);
    const code = /\.(ts|mts|js|mjs|svelte)$/;
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skip.has(e.name))
      .map((e) => e.name)
      .filter((name) => walk(join(ROOT, name), (n) => code.test(n)).length > 0);
    expect(folders.filter((f) => !(f in LAYERS)), 'add the folder to eslint-layers.js and docs/architecture.md').toEqual([]);
  });

  it('in docs/architecture.md is the one eslint-layers.js enforces', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Layering'));
    expect(section, 'docs/architecture.md has a "## Layering" section').toBeDefined();
    const table: Record<string, string[]> = {};
    for (const line of section!.split('\n')) {
      const cells = /^\|\s*`([a-z-]+)\/`\s*\|([^|]*)\|/.exec(line);
      if (!cells) continue;
      const may = cells[2]!;
      table[cells[1]!] = /everything/.test(may) ? ['*'] : [...may.matchAll(/`([a-z-]+)\/`/g)].map((x) => x[1]!).sort();
    }
    const config = Object.fromEntries(Object.entries(LAYERS).map(([f, allowed]) => [f, [...allowed].sort()]));
    expect(table).toEqual(config);
  });
});
