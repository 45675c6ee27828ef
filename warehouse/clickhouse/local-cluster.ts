// A two-shard ClickHouse cluster on loopback, from Debian's `clickhouse-server` (18.16 or later): each
// shard its own config file, data folder and ports, the cluster `tca` in remote_servers, the
// platform's writing user and the SQL console's readonly user (a profile with readonly=2). For trying
// the ClickHouse engine on one machine, for the tests (free ports, a temporary folder) and for the
// benchmark; `npm run clickhouse -- start|stop|status` is its command line (cli/clickhouse-cluster.ts).
// No ZooKeeper: no Replicated tables and no ON CLUSTER, so the platform sends its DDL to each shard.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';

export const CLUSTER_NAME = 'tca';
export const DEFAULT_PORT_BASE = 18123;
export const READONLY_USER = 'console';
/** The profile of the console's user: readonly=2 (at 1, 18.16 refuses the per-query limits). */
export const READONLY_PROFILE = 'console_readonly';

export interface ShardProcess {
  index: number;
  pid: number;
  httpPort: number;
  tcpPort: number;
}

/** What `start` leaves in `<dir>/cluster.json`, so `stop` and `status` find the processes. */
export interface LocalCluster {
  dir: string;
  cluster: string;
  shards: ShardProcess[];
  user: string;
  password: string;
  readonlyUser: string;
  readonlyPassword: string;
}

export interface StartOptions {
  /** The cluster's folder (configs, data, logs, cluster.json); created when missing. */
  dir: string;
  /** Shard i listens on HTTP base+i and native TCP base+100+i; free ports are picked when absent. */
  portBase?: number;
  shards?: number;
  /** Keep the servers running after this process exits (the command line); tests leave it off. */
  detached?: boolean;
  /** Wait this long for every shard to answer /ping. */
  readyTimeoutMs?: number;
}

const STATE_FILE = 'cluster.json';

const SERVER_PATHS = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

/**
 * The path of clickhouse-server (CLICKHOUSE_SERVER_BIN, Debian's paths, then PATH), or a clear error
 * naming how to install it — the ClickHouse tests fail with it rather than skip.
 */
export function findClickhouseServer(env: NodeJS.ProcessEnv = process.env, paths: readonly string[] = SERVER_PATHS): string {
  for (const candidate of [env.CLICKHOUSE_SERVER_BIN, ...paths]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('/bin/sh', ['-c', 'command -v clickhouse-server || command -v clickhouse'], { encoding: 'utf8', env: { PATH: env.PATH ?? '' } });
  const found = (which.stdout ?? '').trim().split('\n')[0];
  if (which.status === 0 && found) return found;
  throw new UserError(
    'clickhouse-server was not found: install it (Debian: apt-get install clickhouse-server; .ci/run does) ' +
      'or set CLICKHOUSE_SERVER_BIN / 未找到 clickhouse-server：请安装（Debian：apt-get install clickhouse-server）或设置 CLICKHOUSE_SERVER_BIN',
  );
}

/** The settings of scale-out.md for this cluster, as environment variables. */
export function clusterEnv(c: LocalCluster): Record<string, string> {
  return {
    WAREHOUSE_ENGINE: 'clickhouse',
    CLICKHOUSE_URLS: c.shards.map((s) => `http://127.0.0.1:${s.httpPort}`).join(','),
    CLICKHOUSE_CLUSTER: c.cluster,
    CLICKHOUSE_DATABASE: 'tca',
    CLICKHOUSE_USER: c.user,
    CLICKHOUSE_PASSWORD: c.password,
    CLICKHOUSE_READONLY_USER: c.readonlyUser,
    CLICKHOUSE_READONLY_PASSWORD: c.readonlyPassword,
  };
}

/** `KEY=value` lines a shell can `export` (values are [A-Za-z0-9:/.,_-] only, so no quoting needed). */
export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => done(true)));
  });
}

/** A base where HTTP base..base+n-1 and TCP base+100.. are all free (random, so parallel tests differ). */
export async function freePortBase(shards: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ports = shardPorts(base, shards).flatMap((p) => [p.httpPort, p.tcpPort]);
    let free = true;
    for (const port of ports) {
      if (!(await portIsFree(port))) {
        free = false;
        break;
      }
    }
    if (free) return base;
  }
  throw new Error('no free ports found for a local ClickHouse cluster / 未找到可用端口');
}

function shardPorts(base: number, shards: number): { httpPort: number; tcpPort: number }[] {
  return Array.from({ length: shards }, (_, i) => ({ httpPort: base + i, tcpPort: base + 100 + i }));
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function serverConfig(shardDir: string, ports: { httpPort: number; tcpPort: number }, all: { tcpPort: number }[], user: string, password: string): string {
  const replicas = all
    .map(
      (p) =>
        `      <shard><replica><host>127.0.0.1</host><port>${p.tcpPort}</port>` +
        `<user>${xmlText(user)}</user><password>${xmlText(password)}</password></replica></shard>`,
    )
    .join('\n');
  const d = (name: string) => xmlText(join(shardDir, name)) + '/';
  return `<?xml version="1.0"?>
<!-- Written by warehouse/clickhouse/local-cluster.ts: one shard of the local cluster "${CLUSTER_NAME}". -->
<yandex>
  <logger>
    <level>warning</level>
    <log>${xmlText(join(shardDir, 'server.log'))}</log>
    <errorlog>${xmlText(join(shardDir, 'server.err.log'))}</errorlog>
    <size>20M</size>
    <count>1</count>
  </logger>
  <http_port>${ports.httpPort}</http_port>
  <tcp_port>${ports.tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${d('data')}</path>
  <tmp_path>${d('tmp')}</tmp_path>
  <user_files_path>${d('user_files')}</user_files_path>
  <format_schema_path>${d('format_schemas')}</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <!-- Not Asia/Shanghai on purpose: the platform's DDL and queries name the zone, never rely on this. -->
  <timezone>UTC</timezone>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <remote_servers>
    <${CLUSTER_NAME}>
${replicas}
    </${CLUSTER_NAME}>
  </remote_servers>
</yandex>
`;
}

function usersConfig(user: string, password: string, roUser: string, roPassword: string): string {
  const u = (name: string, pw: string, profile: string) => `    <${name}>
      <password>${xmlText(pw)}</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>${profile}</profile>
      <quota>default</quota>
    </${name}>`;
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
    </default>
    <${READONLY_PROFILE}>
      <readonly>2</readonly>
      <max_memory_usage>1000000000</max_memory_usage>
    </${READONLY_PROFILE}>
  </profiles>
  <users>
${u(user, password, 'default')}
${u(roUser, roPassword, READONLY_PROFILE)}
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;
}

export function readClusterState(dir: string): LocalCluster | undefined {
  const file = join(resolve(dir), STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalCluster;
}

function writeClusterState(c: LocalCluster): void {
  const file = join(c.dir, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(c, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function ping(httpPort: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${httpPort}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts every shard and waits until each answers; on any failure the started ones are stopped. */
export async function startLocalCluster(options: StartOptions): Promise<LocalCluster> {
  const bin = findClickhouseServer();
  const dir = resolve(options.dir);
  const shards = options.shards ?? 2;
  const existing = readClusterState(dir);
  if (existing && existing.shards.some((s) => isAlive(s.pid))) {
    throw new UserError(
      `a ClickHouse cluster already runs from ${dir} (pids ${existing.shards.map((s) => s.pid).join(', ')}); stop it first ` +
        `/ 该目录下的 ClickHouse 集群已在运行，请先停止`,
    );
  }
  const base = options.portBase ?? (await freePortBase(shards));
  const ports = shardPorts(base, shards);
  for (const p of ports) {
    for (const port of [p.httpPort, p.tcpPort]) {
      if (!(await portIsFree(port))) {
        throw new UserError(`port ${port} on 127.0.0.1 is in use: choose another --port-base / 端口 ${port} 已被占用，请换一个 --port-base`);
      }
    }
  }
  mkdirSync(dir, { recursive: true });
  const cluster: LocalCluster = existing
    ? { ...existing, dir, shards: [] }
    : {
        dir,
        cluster: CLUSTER_NAME,
        shards: [],
        user: 'default',
        password: randomBytes(12).toString('hex'),
        readonlyUser: READONLY_USER,
        readonlyPassword: randomBytes(12).toString('hex'),
      };
  try {
    for (const [index, p] of ports.entries()) {
      const shardDir = join(dir, `shard${index + 1}`);
      for (const sub of ['', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(shardDir, sub), { recursive: true });
      writeFileSync(join(shardDir, 'config.xml'), serverConfig(shardDir, p, ports, cluster.user, cluster.password));
      writeFileSync(join(shardDir, 'users.xml'), usersConfig(cluster.user, cluster.password, cluster.readonlyUser, cluster.readonlyPassword), {
        mode: 0o600,
      });
      const out = openSync(join(shardDir, 'stdout.log'), 'a');
      const child = spawn(bin, [`--config-file=${join(shardDir, 'config.xml')}`], {
        cwd: shardDir,
        detached: options.detached ?? false,
        stdio: ['ignore', out, out],
      });
      closeSync(out);
      if (child.pid === undefined) throw new Error(`clickhouse-server did not start (${bin})`);
      if (options.detached) child.unref();
      cluster.shards.push({ index: index + 1, pid: child.pid, httpPort: p.httpPort, tcpPort: p.tcpPort });
    }
    writeClusterState(cluster);
    await waitReady(cluster, options.readyTimeoutMs ?? 30_000);
    return cluster;
  } catch (err) {
    await stopLocalCluster(cluster);
    throw err;
  }
}

async function waitReady(c: LocalCluster, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(c.shards);
  while (pending.size > 0) {
    for (const s of [...pending]) {
      if (await ping(s.httpPort)) pending.delete(s);
      else if (!isAlive(s.pid)) {
        throw new Error(`ClickHouse shard ${s.index} exited while starting; see ${join(c.dir, `shard${s.index}`, 'server.err.log')}`);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      throw new Error(`ClickHouse shard(s) ${[...pending].map((s) => s.index).join(', ')} not ready after ${timeoutMs} ms`);
    }
    await sleep(200);
  }
}

/** SIGTERM to every shard, SIGKILL to any still there after the grace time; true when all are gone. */
export async function stopLocalCluster(c: LocalCluster, graceMs = 15_000): Promise<boolean> {
  for (const s of c.shards) {
    if (isAlive(s.pid)) {
      try {
        process.kill(s.pid, 'SIGTERM');
      } catch {
        // gone meanwhile
      }
    }
  }
  const deadline = Date.now() + graceMs;
  while (c.shards.some((s) => isAlive(s.pid)) && Date.now() < deadline) await sleep(100);
  for (const s of c.shards) {
    if (isAlive(s.pid)) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  while (c.shards.some((s) => isAlive(s.pid)) && Date.now() < deadline + 5000) await sleep(100);
  return c.shards.every((s) => !isAlive(s.pid));
}

export interface ShardStatus extends ShardProcess {
  running: boolean;
  ready: boolean;
}

export async function clusterStatus(c: LocalCluster): Promise<ShardStatus[]> {
  return Promise.all(c.shards.map(async (s) => ({ ...s, running: isAlive(s.pid), ready: await ping(s.httpPort) })));
}
