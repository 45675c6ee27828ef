// The generated docs are current: each file of docs/ that is made from code equals what its renderer
// writes today (so a changed contract or catalogue fails here until `npm run docs` is run), and names
// everything it is made from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DOCS } from '../cli/generated-docs.ts';
import { CONTRACTS, KINDS } from '../domain/contracts.ts';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe.each(GENERATED_DOCS)('$path', ({ path, render }) => {
  it('is what its renderer writes', () => {
    expect(read(path), `${path} is out of date: run npm run docs`).toBe(render());
  });
});

describe('docs/extracts.md', () => {
  it('lists every column of every contract, with its alias, under its kind', () => {
    const sections = new Map(read('docs/extracts.md').split(/^## /m).map((s) => [s.slice(0, s.indexOf('\n')).trim(), s]));
    for (const kind of KINDS) {
      const section = sections.get(kind);
      expect(section, `a "## ${kind}" section`).toBeDefined();
      for (const c of CONTRACTS[kind].columns) expect(section).toContain(`| \`${c.name}\` | ${c.alias} |`);
    }
  });
});

describe('docs/kpis.md', () => {
  it('names every KPI key of the catalogue', () => {
    const doc = read('docs/kpis.md');
    expect(KPI_KEYS.filter((key) => !doc.includes(`\`${key}\``))).toEqual([]);
  });
});
