// One timed load in a process of its own, so its peak memory is its own: `project` runs the
// project's ingest of the file, `duckdb` the baseline CREATE TABLE AS read_csv with the contract's types.
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../warehouse/db.ts';
import { ingestFile } from '../ingest/load.ts';
import { CONTRACTS } from '../domain/contracts.ts';
import { TIME_ZONE } from '../domain/time.ts';

process.env.TZ = TIME_ZONE;
const [mode, file, db, memoryLimit] = process.argv.slice(2) as [string, string, string, string];
rmSync(db, { force: true });
rmSync(`${db}.wal`, { force: true });

const SQL_TYPE = {
  month: 'VARCHAR', text: 'VARCHAR', enum: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', money: 'DECIMAL(18,2)', bool: 'BOOLEAN', integer: 'INTEGER',
  period: 'VARCHAR', kpi: 'VARCHAR', decimal: 'DECIMAL(24,8)',
} as const;

let seconds: number;
let rows: number;
if (mode === 'project') {
  const wh = await Warehouse.open({ path: db, memoryLimit });
  const t = performance.now();
  const r = await ingestFile(wh, file, { kind: 'subscriber' });
  wh.close();
  seconds = (performance.now() - t) / 1000;
  if (r.status !== 'loaded') throw new Error(`ingest did not load: ${r.message}`);
  rows = r.rows_loaded;
} else {
  const instance = await DuckDBInstance.create(db, { memory_limit: memoryLimit });
  const conn = await instance.connect();
  const columns = CONTRACTS.subscriber.columns.map((c) => `'${c.name}': '${SQL_TYPE[c.type]}'`).join(', ');
  const t = performance.now();
  await conn.run(`create table t as select * from read_csv('${file}', header = true, columns = {${columns}})`);
  rows = Number((await conn.runAndReadAll('select count(*) from t')).getRows()[0]![0]);
  conn.closeSync();
  instance.closeSync();
  seconds = (performance.now() - t) / 1000;
}
console.log(JSON.stringify({ mode, seconds, rows, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
