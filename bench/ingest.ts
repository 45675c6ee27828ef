// npm run bench -- ingest [--rows N] [--json]: the project's ingest of a subscriber CSV against DuckDB's
// own typed read_csv into a fresh database file, on the same file in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { TIME_ZONE } from '../domain/time.ts';

interface Run {
  mode: string;
  seconds: number;
  rows: number;
  max_rss_mb: number;
}

/** A realistic subscriber extract: 11 cities, bundles, channels, churned rows; every row valid. */
async function writeSubscriberCsv(file: string, rows: number): Promise<void> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`copy (
    select '2026-09' as period, 'S' || lpad(i::varchar, 9, '0') as subscription_id, 'C' || (i // 2) as customer_id,
      ['personal', 'household', 'enterprise'][1 + i % 3] as segment, (330100 + 100 * (i % 11))::varchar as region_code,
      ['mobile', 'fixed_voice', 'broadband', 'iptv'][1 + i % 4] as service, 'P' || (i % 50) as plan_code,
      case when i % 3 = 0 then 'K' || (i // 3) end as bundle_id, 'CH' || (i % 5000) as channel_id,
      strftime(date '2012-01-01' + (i % 5000)::int, '%Y-%m-%d') as activated_on,
      case when i % 50 = 0 then strftime(date '2026-09-01' + (i % 29)::int, '%Y-%m-%d') end as terminated_on
    from range(${rows}) t(i)) to '${file}' (header)`);
  conn.closeSync();
}

function runChild(mode: string, file: string, db: string, memoryLimit: string): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), mode, file, db, memoryLimit], {
    encoding: 'utf8',
    env: { ...process.env, TZ: TIME_ZONE },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '2000000' }, json: { type: 'boolean', default: false }, repeat: { type: 'string', default: '2' } } });
  const rows = Number(values.rows);
  const repeat = Math.max(1, Number(values.repeat));
  const memoryLimit = process.env.DUCKDB_MEMORY_LIMIT ?? '640MB';
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    const file = join(dir, 'subscriber_ALL_202609.csv');
    await writeSubscriberCsv(file, rows);
    const mb = statSync(file).size / 1e6;
    const project: Run[] = [];
    const duckdb: Run[] = [];
    // Alternate the two so neither always runs on a warmer page cache.
    for (let i = 0; i < repeat; i++) {
      duckdb.push(runChild('duckdb', file, join(dir, 'baseline.duckdb'), memoryLimit));
      project.push(runChild('project', file, join(dir, 'project.duckdb'), memoryLimit));
    }
    const best = (runs: Run[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const p = best(project);
    const d = best(duckdb);
    const projectRate = rows / p.seconds;
    const duckdbRate = rows / d.seconds;
    const ratio = projectRate / duckdbRate;
    const peak = Math.max(...project.map((r) => r.max_rss_mb));
    if (values.json) {
      console.log(JSON.stringify({ bench: 'ingest', rows, project_rows_per_s: Math.round(projectRate), duckdb_rows_per_s: Math.round(duckdbRate), ratio: Number(ratio.toFixed(3)), project_peak_rss_mb: Math.round(peak), file_mb: Number(mb.toFixed(1)), memory_limit: memoryLimit }));
    } else {
      console.log(`ingest benchmark: ${rows.toLocaleString('en')} subscriber rows, ${mb.toFixed(0)} MB CSV, best of ${repeat}, DuckDB memory_limit ${memoryLimit}`);
      console.log(`  project ingest (every check on)  ${p.seconds.toFixed(2)} s  ${Math.round(projectRate).toLocaleString('en')} rows/s  peak RSS ${peak.toFixed(0)} MB`);
      console.log(`  DuckDB read_csv typed CTAS       ${d.seconds.toFixed(2)} s  ${Math.round(duckdbRate).toLocaleString('en')} rows/s  peak RSS ${d.max_rss_mb.toFixed(0)} MB`);
      console.log(`  ratio (project / DuckDB)         ${ratio.toFixed(2)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
