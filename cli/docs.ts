// npm run docs — rewrites the generated docs of docs/ (cli/generated-docs.ts) after a change to what
// they are made from, and says which ones changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../warehouse/errors.ts';
import { GENERATED_DOCS } from './generated-docs.ts';
import { parseCli, runCli } from './run-cli.ts';

const root = resolve(import.meta.dirname, '..');

function current(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

runCli(async () => {
  const { positionals } = parseCli({});
  if (positionals.length > 0) throw new UserError('usage: npm run docs (no arguments)', EXIT.usage);
  for (const doc of GENERATED_DOCS) {
    const path = join(root, doc.path);
    const text = doc.render();
    const changed = current(path) !== text;
    if (changed) writeFileSync(path, text);
    process.stdout.write(`${doc.path}${changed ? ' written' : ' unchanged'}\n`);
  }
});
