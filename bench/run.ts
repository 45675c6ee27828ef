// `npm run bench -- NAME [options]`: runs bench/NAME.ts, whose `main(args)` prints its table (and one
// JSON line with --json). Benchmarks compare the project with raw DuckDB on the same data, in the same run.
import { TIME_ZONE } from '../domain/time.ts';

process.env.TZ = TIME_ZONE;

const [name, ...args] = process.argv.slice(2);
const known = ['ingest', 'models', 'server', 'dashboard', 'briefings', 'login', 'alerts', 'console', 'clickhouse', 'targets'];
if (!name || !known.includes(name)) {
  console.error(`usage: npm run bench -- ${known.join('|')} [options]`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { main: (args: string[]) => Promise<void> };
await mod.main(args);
