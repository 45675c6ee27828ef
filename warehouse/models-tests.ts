// Data tests: the generic ones declared in NAME.tests.json (unique grain, not null, accepted values,
// ranges) and the reconciliations in models/tests/*.sql (each returns the rows that break it). A
// test fails when it finds any row. On an incremental run only the rebuilt periods are tested: the
// others have not changed since they last passed.
import { quoteIdent, type Warehouse } from './db.ts';
import { expandColumns, type Catalog, type Model } from './models-catalog.ts';
import { periodBindings } from './models-periods.ts';
import { querySql, type Bindings } from './models-sql.ts';

export interface TestResult {
  name: string;
  model: string;
  /** Rows breaking the test; 0 = passed. */
  failures: number;
  ms: number;
}

interface RowCheck {
  name: string;
  condition: string;
}

/**
 * Runs every test. `periods` are the rebuilt months ('YYYY-MM-DD'); with `scoped`, row checks look
 * at those months only. Uniqueness of a grain that includes period is checked one period at a time,
 * like the models are built, so that its hash table stays small.
 */
export async function runDataTests(wh: Warehouse, catalog: Catalog, periods: string[], scoped: boolean): Promise<TestResult[]> {
  const bindings = periodBindings(periods);
  const results: TestResult[] = [];
  for (const model of catalog.models) {
    results.push(...(await runGenericTests(wh, model, bindings, scoped)));
    results.push(...(await runUniqueTest(wh, model, periods, scoped)));
  }
  for (const test of catalog.singularTests) {
    const start = performance.now();
    const rows = await querySql(wh, `select count(*) as n from (\n${test.sql}\n)`, bindings, test.name);
    results.push({ name: test.name, model: 'tests', failures: Number(rows[0]?.n ?? 0), ms: performance.now() - start });
  }
  return results;
}

async function runGenericTests(wh: Warehouse, model: Model, bindings: Bindings, scoped: boolean): Promise<TestResult[]> {
  const spec = model.tests;
  const columns = (await wh.all<{ column_name: string }>(
    `select column_name from duckdb_columns() where table_name = $t and schema_name = 'main'`,
    { t: model.name },
  )).map((c) => c.column_name);
  const has = (c: string) => {
    if (!columns.includes(c)) throw new Error(`${model.name}.tests.json names column ${c}, which ${model.name} does not have`);
    return quoteIdent(c);
  };
  // Only the rebuilt periods: a plain filter on period, which DuckDB pushes below the staging views' windows.
  const where = scoped && columns.includes('period') ? 'where list_contains($periods, period)' : '';
  const from = `${quoteIdent(model.name)} ${where}`;
  const results: TestResult[] = [];
  const checks: RowCheck[] = [];
  const notNull = [...new Set([...(spec.unique ?? []), ...expandColumns(spec.not_null ?? [], columns)])];
  for (const c of notNull) checks.push({ name: `not_null(${model.name}.${c})`, condition: `${has(c)} is null` });
  for (const range of spec.between ?? []) {
    const except = new Set(range.except ?? []);
    for (const c of expandColumns(range.columns, columns).filter((x) => !except.has(x))) {
      const bounds = [range.min === undefined ? null : `${has(c)} < ${Number(range.min)}`, range.max === undefined ? null : `${has(c)} > ${Number(range.max)}`];
      checks.push({ name: `between(${model.name}.${c}, ${range.min ?? ''}, ${range.max ?? ''})`, condition: bounds.filter(Boolean).join(' or ') });
    }
  }
  if (checks.length > 0) {
    // One pass over the model for all row checks: staging views are costly to read.
    const start = performance.now();
    const sql = `select ${checks.map((c, i) => `count_if(${c.condition}) as c${i}`).join(', ')} from ${from}`;
    const [row] = await querySql(wh, sql, bindings, `tests of ${model.name}`);
    const ms = (performance.now() - start) / checks.length;
    checks.forEach((c, i) => results.push({ name: c.name, model: model.name, failures: Number(row?.[`c${i}`] ?? 0), ms }));
  }
  const accepted = Object.entries(spec.accepted_values ?? {});
  if (accepted.length > 0) {
    // One pass for every column: the distinct values of each (grouping sets), checked here.
    const start = performance.now();
    const cols = accepted.map(([c]) => has(c));
    const rows = await querySql(
      wh,
      `select ${cols.map((c, i) => `grouping(${c}) as g${i}, ${c}::varchar as v${i}`).join(', ')}, count(*) as n
       from ${from} group by grouping sets (${cols.map((c) => `(${c})`).join(', ')})`,
      bindings,
      `accepted_values tests of ${model.name}`,
    );
    const ms = (performance.now() - start) / accepted.length;
    for (const [i, [c, values]] of accepted.entries()) {
      const ok = new Set(await acceptedValues(wh, values));
      const failures = rows
        .filter((r) => Number(r[`g${i}`]) === 0 && r[`v${i}`] !== null && !ok.has(String(r[`v${i}`])))
        .reduce((sum, r) => sum + Number(r.n), 0);
      results.push({ name: `accepted_values(${model.name}.${c})`, model: model.name, failures, ms });
    }
  }
  return results;
}

async function runUniqueTest(wh: Warehouse, model: Model, periods: string[], scoped: boolean): Promise<TestResult[]> {
  const key = model.tests.unique ?? [];
  if (key.length === 0) return [];
  const start = performance.now();
  const cols = key.map(quoteIdent).join(', ');
  const byPeriod = key.includes('period');
  const where = byPeriod ? 'where list_contains($periods, period)' : '';
  // Grouping 64-bit hashes is much cheaper than grouping the text keys; only when two rows share a
  // hash (a repeated key, or a collision) are the keys themselves compared.
  const candidates = `select count(*) as n from (select hash(${cols}) as h from ${quoteIdent(model.name)} ${where} group by h having count(*) > 1)`;
  const exact = `select count(*) as n from (select ${cols} from ${quoteIdent(model.name)} ${where} group by ${cols} having count(*) > 1)`;
  let failures = 0;
  // A key without period (complaint_id) must be unique across periods: checked over the whole table.
  const scopes = byPeriod ? (scoped ? periods : await periodsOf(wh, model)) : [null];
  for (const p of scopes) {
    const bindings = p === null ? { values: {} } : periodBindings([p]);
    const [c] = await querySql(wh, candidates, bindings, `unique test of ${model.name}`);
    if (Number(c?.n ?? 0) === 0) continue;
    const [row] = await querySql(wh, exact, bindings, `unique test of ${model.name}`);
    failures += Number(row?.n ?? 0);
  }
  return [{ name: `unique(${model.name}: ${key.join(', ')})`, model: model.name, failures, ms: performance.now() - start }];
}

async function periodsOf(wh: Warehouse, model: Model): Promise<string[]> {
  const rows = await wh.all<{ p: string }>(`select distinct strftime(period, '%Y-%m-%d') as p from ${quoteIdent(model.name)} order by p`);
  return rows.map((r) => r.p);
}


async function acceptedValues(wh: Warehouse, accepted: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of accepted) {
    if (a === '@regions') out.push(...(await wh.all<{ code: string }>('select code from regions')).map((r) => r.code));
    else if (a.startsWith('@')) {
      const codes = (await wh.all<{ code: string }>('select code from ref_enums where dimension = $d', { d: a.slice(1) })).map((r) => r.code);
      if (codes.length === 0) throw new Error(`accepted_values: no enumeration named ${a}`);
      out.push(...codes);
    } else out.push(a);
  }
  return out;
}

