// The layering of docs/architecture.md as data, and the lint rules made from it: a wrong import fails
// `npm run lint` instead of waiting for a reviewer. test/layering.test.ts checks that the rules bite
// and that the table in docs/architecture.md says the same as this one.
import { builtinModules } from 'node:module';

/** Top-level folder → the other top-level folders its files may import (its own always). */
export const LAYERS = {
  domain: [],
  charts: ['domain'],
  dashboard: ['charts', 'domain'],
  workers: [],
  warehouse: ['domain'],
  ingest: ['domain', 'warehouse', 'workers'],
  queries: ['domain', 'warehouse'],
  briefings: ['domain', 'charts', 'queries', 'warehouse', 'workers'],
  demo: ['domain', 'warehouse', 'ingest'],
  server: ['domain', 'charts', 'queries', 'warehouse', 'ingest', 'briefings', 'workers'],
  cli: ['domain', 'charts', 'workers', 'warehouse', 'ingest', 'queries', 'briefings', 'demo', 'server'],
  test: ['*'],
  bench: ['*'],
};

/** Folders whose code also runs in the browser: no Node built-in modules outside their tests. */
export const BROWSER_SAFE = ['domain', 'charts', 'dashboard'];

/** What a `*.test.ts` file may import from test/ wherever it sits. */
export const TEST_SUPPORT = ['test/helpers', 'test/fixtures'];

// Imports are relative (`../warehouse/db.ts`), so a file N folders deep reaches another top-level
// folder through exactly N `../`; one config per depth keeps the patterns exact. Deeper than this
// and the tree needs another look anyway.
const MAX_DEPTH = 8;
const SOURCES = '{ts,mts,js,mjs}';
const TESTS = ['**/*.test.ts'];

const FOLDERS = Object.keys(LAYERS);

/** The folders a file of `folder` may not import (its own and the allowed ones excepted). */
export function forbiddenFolders(folder) {
  const allowed = LAYERS[folder];
  if (allowed.includes('*')) return [];
  return FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
}

function layerRegex(depth, forbidden, isTest) {
  const names = forbidden.map((f) => {
    if (f !== 'test' || !isTest) return `${f}(/|$)`;
    const support = TEST_SUPPORT.map((p) => `${p.slice('test/'.length)}/`).join('|');
    return `test(/(?!${support})|$)`;
  });
  return `^(\\.\\./){${depth}}(${names.join('|')})`;
}

const BUILTIN_REGEX = `^(node:|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/|$))`;

function allowedText(folder) {
  const allowed = LAYERS[folder];
  return allowed.length ? `only ${allowed.map((f) => `${f}/`).join(', ')} and its own files` : 'only its own files';
}

function configFor(folder, depth, isTest) {
  const forbidden = forbiddenFolders(folder);
  const browser = BROWSER_SAFE.includes(folder) && !isTest;
  if (forbidden.length === 0 && !browser) return null;
  const regex = layerRegex(depth, forbidden, isTest);
  const message = `${folder}/ may import ${allowedText(folder)}${isTest ? ' (its tests also test/helpers/ and test/fixtures/)' : ''}: see the layering table in docs/architecture.md.`;
  const patterns = [];
  if (forbidden.length) patterns.push({ regex, message });
  if (browser) patterns.push({ regex: BUILTIN_REGEX, message: `${folder}/ also runs in the browser: no Node built-in modules.` });
  const config = {
    name: `layers/${folder}/depth-${depth}${isTest ? '/tests' : ''}`,
    files: [`${folder}/${'*/'.repeat(depth - 1)}*${isTest ? '.test.ts' : `.${SOURCES}`}`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
  if (!isTest) config.ignores = TESTS;
  // no-restricted-imports does not look at import(): the same patterns as a syntax rule.
  const dynamic = patterns.map((p) => ({
    selector: `ImportExpression[source.value=/${p.regex.replaceAll('/', '\\/')}/]`,
    message: p.message,
  }));
  config.rules['no-restricted-syntax'] = ['error', ...dynamic];
  return config;
}

/** Flat-config objects, one per (folder, depth, test or not), each error-level. */
export function layeringConfigs() {
  const configs = [];
  for (const folder of FOLDERS) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      for (const isTest of [false, true]) {
        const config = configFor(folder, depth, isTest);
        if (config) configs.push(config);
      }
    }
  }
  return configs;
}
