// npm run clickhouse -- start|stop|status [--dir D] [--port-base P] [--shards N]
// A local ClickHouse cluster on loopback for the ClickHouse engine (warehouse/clickhouse/local-cluster.ts):
// `start` prints the settings to export (stdout), `stop` ends the servers, `status` says whether each answers.
import { parseCli, runCli } from './run-cli.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';
import {
  DEFAULT_PORT_BASE,
  clusterEnv,
  clusterStatus,
  formatEnv,
  readClusterState,
  startLocalCluster,
  stopLocalCluster,
} from '../warehouse/clickhouse/local-cluster.ts';

const USAGE = 'usage: npm run clickhouse -- start|stop|status [--dir D] [--port-base P] [--shards N]';
const DEFAULT_DIR = './data/clickhouse';

runCli(async () => {
  const { values, positionals } = parseCli({
    dir: { type: 'string', default: DEFAULT_DIR },
    'port-base': { type: 'string' },
    shards: { type: 'string', default: '2' },
  });
  const [command, ...rest] = positionals;
  if (!command || !['start', 'stop', 'status'].includes(command) || rest.length > 0) throw new UserError(USAGE, EXIT.usage);
  const dir = values.dir;
  if (command === 'start') {
    const portBase = values['port-base'] === undefined ? DEFAULT_PORT_BASE : Number(values['port-base']);
    const shards = Number(values.shards);
    if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65000) throw new UserError(`--port-base must be a port number 1024..65000 / 端口号无效\n${USAGE}`, EXIT.usage);
    if (!Number.isInteger(shards) || shards < 1 || shards > 8) throw new UserError(`--shards must be 1..8 / 分片数无效\n${USAGE}`, EXIT.usage);
    const cluster = await startLocalCluster({ dir, portBase, shards, detached: true });
    process.stderr.write(`ClickHouse cluster "${cluster.cluster}" ready: ${cluster.shards.length} shards from ${cluster.dir} (pids ${cluster.shards.map((s) => s.pid).join(', ')})\n`);
    process.stdout.write(formatEnv(clusterEnv(cluster)) + '\n');
    return;
  }
  const cluster = readClusterState(dir);
  if (!cluster) throw new UserError(`no ClickHouse cluster was started from ${dir} / 该目录下没有启动过 ClickHouse 集群`);
  if (command === 'stop') {
    const stopped = await stopLocalCluster(cluster);
    process.stderr.write(stopped ? 'ClickHouse cluster stopped\n' : 'some ClickHouse shard did not stop\n');
    return stopped ? EXIT.ok : EXIT.failed;
  }
  const status = await clusterStatus(cluster);
  for (const s of status) {
    process.stdout.write(`shard ${s.index}: pid ${s.pid} ${s.running ? 'running' : 'stopped'}, http ${s.httpPort} ${s.ready ? 'ready' : 'not answering'}, tcp ${s.tcpPort}\n`);
  }
  if (status.every((s) => s.ready)) process.stdout.write(formatEnv(clusterEnv(cluster)) + '\n');
  return status.every((s) => s.ready) ? EXIT.ok : EXIT.failed;
});
