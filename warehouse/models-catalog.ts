// The models as files: warehouse/models/{staging,intermediate,marts}/NAME.sql, their data tests
// (NAME.tests.json beside each model, tests/*.sql for reconciliations) and macros.sql. Dependencies
// are read from the SQL (any other model's name it mentions), so adding a model is adding a file.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_TYPES, COMPLAINT_CATEGORIES, COMPLAINT_SOURCES, REVENUE_ITEMS, SATISFACTION, SEGMENTS, SERVICES, type EnumValue } from '../domain/contracts.ts';
import { codeOnly, readSql, splitStatements, sqlParameters } from './models-sql.ts';

export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'models');

/** Staging models are views over the raw tables; the other layers are tables rebuilt per period. */
export const LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof LAYERS)[number];

export interface BetweenSpec {
  /** Column names; `*` matches any run of characters (`*_rate`). */
  columns: string[];
  except?: string[];
  min?: number;
  max?: number;
}

/** Generic tests declared in NAME.tests.json. */
export interface TestSpec {
  /** The model's grain: these columns together are unique (and each is tested not null). */
  unique?: string[];
  not_null?: string[];
  /** Column → accepted values; '@regions' stands for the region list, '@NAME' for ref_enums dimension NAME. */
  accepted_values?: Record<string, string[]>;
  between?: BetweenSpec[];
}

export interface Model {
  name: string;
  layer: Layer;
  materialized: 'view' | 'table';
  path: string;
  sql: string;
  dependsOn: string[];
  tests: TestSpec;
}

export interface SingularTest {
  name: string;
  path: string;
  sql: string;
}

export interface Catalog {
  /** In dependency order. */
  models: Model[];
  macros: string[];
  singularTests: SingularTest[];
  /** Changes whenever any model, macro or test file changes: the runner then rebuilds everything. */
  hash: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The enumerations the models and their tests know by name (`ref_enums`, `accepted_values: ["@segment"]`),
 * on both engines.
 */
export const ENUMS: Record<string, readonly EnumValue[]> = {
  segment: SEGMENTS,
  service: SERVICES,
  channel_type: CHANNEL_TYPES,
  category: COMPLAINT_CATEGORIES,
  source: COMPLAINT_SOURCES,
  satisfaction: SATISFACTION,
  item: REVENUE_ITEMS,
};

/** A test spec's column names and patterns (`*` = any run of characters) as columns of the table, in table order. */
export function expandColumns(patterns: string[], columns: string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (!p.includes('*')) {
      out.push(p);
      continue;
    }
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    out.push(...columns.filter((c) => re.test(c)));
  }
  return [...new Set(out)];
}

export function loadCatalog(dir = MODELS_DIR): Catalog {
  const found: Omit<Model, 'dependsOn'>[] = [];
  for (const layer of LAYERS) {
    const layerDir = join(dir, layer);
    if (!existsSync(layerDir)) continue;
    for (const file of readdirSync(layerDir).filter((f) => f.endsWith('.sql')).sort()) {
      const name = basename(file, '.sql');
      if (!NAME.test(name)) throw new Error(`model file ${layer}/${file}: names are lower_snake_case`);
      const path = join(layerDir, file);
      const testsPath = join(layerDir, `${name}.tests.json`);
      const tests = existsSync(testsPath) ? (JSON.parse(readSql(testsPath)) as TestSpec) : {};
      found.push({ name, layer, materialized: layer === 'staging' ? 'view' : 'table', path, sql: readSql(path), tests });
    }
  }
  const names = new Set(found.map((m) => m.name));
  if (names.size !== found.length) throw new Error('two model files share a name');
  const models = found.map((m) => {
    if (m.materialized === 'view' && sqlParameters(m.sql).length > 0) {
      throw new Error(`${m.name}: a view cannot take parameters`);
    }
    const words = new Set(codeOnly(m.sql).toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
    return { ...m, dependsOn: [...names].filter((n) => n !== m.name && words.has(n)).sort() };
  });

  const testsDir = join(dir, 'tests');
  const singularTests = existsSync(testsDir)
    ? readdirSync(testsDir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .map((f) => ({ name: basename(f, '.sql'), path: join(testsDir, f), sql: readSql(join(testsDir, f)) }))
    : [];
  const macrosPath = join(dir, 'macros.sql');
  const macros = existsSync(macrosPath) ? splitStatements(readSql(macrosPath)) : [];

  const hash = createHash('sha256');
  for (const m of models) hash.update(`${m.name}\0${m.sql}\0${JSON.stringify(m.tests)}\0`);
  for (const t of singularTests) hash.update(`${t.name}\0${t.sql}\0`);
  for (const s of macros) hash.update(`${s}\0`);
  return { models: topoSort(models), macros, singularTests, hash: hash.digest('hex') };
}

/** Kahn's algorithm, keeping file order (layer, then name) among models that are ready together. */
export function topoSort(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const sorted: Model[] = [];
  while (sorted.length < models.length) {
    const ready = models.find((m) => !done.has(m.name) && m.dependsOn.every((d) => done.has(d)));
    if (!ready) {
      const stuck = models.filter((m) => !done.has(m.name)).map((m) => m.name);
      throw new Error(`models depend on each other in a cycle: ${stuck.join(', ')}`);
    }
    for (const d of ready.dependsOn) {
      if (!byName.has(d)) throw new Error(`${ready.name} depends on unknown model ${d}`);
    }
    done.add(ready.name);
    sorted.push(ready);
  }
  return sorted;
}
