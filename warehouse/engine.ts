// The engine seam. The warehouse has two planes: the control plane (loads, slices, rejects, users,
// sessions, model runs: always the local DuckDB file) and the data plane (raw rows, staging, marts,
// and the KPI, briefing and ad-hoc queries over them). DuckDB holds both by default. A second engine
// for the data plane — a ClickHouse cluster, for a province beyond one machine — is chosen here, by
// WAREHOUSE_ENGINE, and nowhere else: the rest of the platform receives a `Warehouse` and sends it
// SQL from `warehouse/models/` and `queries/*.sql`, so an engine brings its own dialect of those files
// and its own `Warehouse` behind the same surface (run, all, one, transaction, fork).
//
// With WAREHOUSE_ENGINE=clickhouse the control plane stays in the DuckDB file and `Warehouse.open`
// also opens the data plane on the cluster (`wh.clickhouse`, a ClickhouseDataPlane of
// clickhouse/data-plane.ts; its settings: clickhouse/settings.ts). What goes where is in
// warehouse/README.md and docs/architecture.md, "The engine seam".
import { EXIT, UserError } from './errors.ts';

/** The engines this build can open. */
export const ENGINES = ['duckdb', 'clickhouse'] as const;
export type EngineName = (typeof ENGINES)[number];

/** WAREHOUSE_ENGINE → an engine this build has; a clear error (exit 2) for any other. */
export function normalizeEngine(value: string | undefined): EngineName {
  const name = (value ?? '').trim().toLowerCase() || 'duckdb';
  if ((ENGINES as readonly string[]).includes(name)) return name as EngineName;
  throw new UserError(`WAREHOUSE_ENGINE must be one of ${ENGINES.join(', ')}, got ${JSON.stringify(value)} / 未知的数仓引擎`, EXIT.usage);
}
