// The data tests of the ClickHouse models: the generic tests the DuckDB models declare in
// ../models/**/NAME.tests.json (unique grain, not null, accepted values, ranges), run on the
// ClickHouse model of the same name — on the name that reads every shard, so a grain repeated on two
// shards fails too — then the reconciliations: models/tests/NAME.sql, the ClickHouse SQL of each
// ../models/tests/NAME.sql (loadChCatalog refuses a file on one engine only), run on the first shard
// under the DuckDB test's name, so a run on either engine reports the same tests. A test fails when
// it finds any row; an incremental run tests its months only, and the reconciliations test the
// months given (every month on a full run), as on DuckDB.
import type { Warehouse } from '../db.ts';
import type { TestResult } from '../models-tests.ts';
import { ENUMS, expandColumns, loadCatalog, type TestSpec } from '../models-catalog.ts';
import { ident, literal } from './data-plane.ts';
import { MODEL_SETTINGS, expandMacros, type ChCatalog, type ChDataPlaneLike, type ChShardLike } from './models.ts';

const SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

export async function runClickhouseDataTests(
  dp: ChDataPlaneLike,
  control: Warehouse,
  catalog: ChCatalog,
  periods: string[],
  scoped: boolean,
): Promise<TestResult[]> {
  const first = dp.shards[0]!;
  const specs = new Map(loadCatalog().models.map((m) => [m.name, m.tests]));
  const regions = (await control.all<{ code: string }>('select code from regions')).map((r) => r.code);
  const results: TestResult[] = [];
  for (const model of catalog.models) {
    const spec = specs.get(model.name);
    if (!spec || Object.keys(spec).length === 0) continue;
    // the name that reads every shard, or each shard's own table for a shard's partial aggregate
    const targets = model.testsEachShard ? dp.shards.map((s) => ({ shard: s, table: `${model.name}_local` })) : [{ shard: first, table: model.name }];
    const failures = new Map<string, number>();
    const start = performance.now();
    for (const { shard, table } of targets) {
      const columns = (await shard.query<{ name: string }>(`DESCRIBE TABLE ${ident(table)}`)).map((c) => c.name);
      // (no month to test: nothing; `IN ()` would not even parse on 18.16)
      const months = periods.length > 0 ? `WHERE period IN (${periods.map((p) => `toDate(${literal(p)})`).join(', ')})` : 'WHERE 0';
      const where = scoped && columns.includes('period') ? months : '';
      const checks = rowChecks(model.name, spec, columns, regions);
      const key = spec.unique ?? [];
      const cols = key.map(ident).join(', ');
      // One pass over the table for every check. Uniqueness first as rows less distinct key hashes:
      // 0 proves every key distinct (equal keys hash equal); anything else — a repeated key, a hash
      // collision, a NULL in the key — is counted exactly by the GROUP BY below. The hash keeps a
      // distributed read from shipping and merging every key of every shard.
      const select = [
        ...checks.map((c, i) => `countIf(${c.condition}) AS c${i}`),
        ...(key.length > 0 ? [`count() - uniqExact(cityHash64(${cols})) AS maybe_repeated`] : []),
      ];
      if (select.length === 0) continue;
      // A key with the month in it is counted month by month: smaller sets of hashes, and the same sums.
      const byMonth = key.includes('period') ? 'GROUP BY period' : '';
      const rows = await shard.query<Record<string, number>>(`SELECT ${select.join(', ')} FROM ${ident(table)} ${where} ${byMonth}`, SETTINGS);
      const total = (column: string) => rows.reduce((sum, r) => sum + Number(r[column] ?? 0), 0);
      checks.forEach((c, i) => failures.set(c.name, (failures.get(c.name) ?? 0) + total(`c${i}`)));
      if (key.length > 0) {
        let repeated = 0;
        if (total('maybe_repeated') !== 0) {
          const [exact] = await shard.query<{ n: number }>(
            `SELECT count() AS n FROM (SELECT ${cols} FROM ${ident(table)} ${where} GROUP BY ${cols} HAVING count() > 1)`,
            SETTINGS,
          );
          repeated = Number(exact?.n ?? 0);
        }
        const name = `unique(${model.name}: ${key.join(', ')})`;
        failures.set(name, (failures.get(name) ?? 0) + repeated);
      }
    }
    const ms = (performance.now() - start) / Math.max(1, failures.size);
    for (const [name, n] of failures) results.push({ name, model: model.name, failures: n, ms });
  }
  results.push(...(await runReconciliations(first, catalog, periods)));
  return results;
}

/**
 * The reconciliations, each the count of the rows its query returns for the months tested, on the
 * first shard (the marts are there; the rest it reads by the names that read every shard), with the
 * models' settings (a missing right side of a join is null). No month: nothing to test, and
 * `IN ()` would not parse on 18.16 — each passes without a query, as on DuckDB (an empty list).
 */
async function runReconciliations(first: ChShardLike, catalog: ChCatalog, periods: string[]): Promise<TestResult[]> {
  const months = `(${periods.map((p) => `toDate(${literal(p)})`).join(', ')})`;
  const results: TestResult[] = [];
  for (const test of catalog.tests) {
    const start = performance.now();
    let failures = 0;
    if (periods.length > 0) {
      const sql = expandMacros(test.sql, catalog.macros).replaceAll('{periods}', months);
      const [row] = await first.query<{ n: number }>(`SELECT count() AS n FROM (\n${sql}\n)`, { ...MODEL_SETTINGS, ...SETTINGS });
      failures = Number(row?.n ?? 0);
    }
    results.push({ name: test.name, model: 'tests', failures, ms: performance.now() - start });
  }
  return results;
}

interface RowCheck {
  name: string;
  condition: string;
}

function rowChecks(model: string, spec: TestSpec, columns: string[], regions: string[]): RowCheck[] {
  const has = (c: string) => {
    if (!columns.includes(c)) throw new Error(`${model}.tests.json names column ${c}, which the ClickHouse ${model} does not have`);
    return ident(c);
  };
  const checks: RowCheck[] = [];
  for (const c of new Set([...(spec.unique ?? []), ...expandColumns(spec.not_null ?? [], columns)])) {
    checks.push({ name: `not_null(${model}.${c})`, condition: `isNull(${has(c)})` });
  }
  for (const range of spec.between ?? []) {
    const except = new Set(range.except ?? []);
    for (const c of expandColumns(range.columns, columns).filter((x) => !except.has(x))) {
      const bounds = [
        range.min === undefined ? null : `ifNull(toFloat64(${has(c)}) < ${Number(range.min)}, 0)`,
        range.max === undefined ? null : `ifNull(toFloat64(${has(c)}) > ${Number(range.max)}, 0)`,
      ].filter(Boolean);
      checks.push({ name: `between(${model}.${c}, ${range.min ?? ''}, ${range.max ?? ''})`, condition: bounds.join(' OR ') });
    }
  }
  for (const [c, accepted] of Object.entries(spec.accepted_values ?? {})) {
    const values = accepted.flatMap((a) => {
      if (a === '@regions') return regions;
      if (a.startsWith('@')) {
        const codes = ENUMS[a.slice(1)]?.map((v) => v.code);
        if (!codes) throw new Error(`accepted_values: no enumeration named ${a}`);
        return codes;
      }
      return [a];
    });
    checks.push({ name: `accepted_values(${model}.${c})`, condition: `isNotNull(${has(c)}) AND NOT has([${values.map(literal).join(', ')}], assumeNotNull(${has(c)}))` });
  }
  return checks;
}

