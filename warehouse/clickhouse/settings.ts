// The ClickHouse engine's settings (docs: scale-out settings in docs/architecture.md), read from the
// environment in this one place; warehouse/config.ts calls it when WAREHOUSE_ENGINE=clickhouse.
import { EXIT, UserError } from '../errors.ts';

export interface ClickhouseSettings {
  /** Every shard's HTTP endpoint, in the order of the cluster's remote_servers; queries go to the first. */
  urls: string[];
  /** The cluster's name in remote_servers; absent: the first URL is a single node. */
  cluster: string | null;
  database: string;
  user: string;
  password: string;
  /** The SQL console's user (a profile with readonly=2); absent: the console is refused on this engine. */
  readonlyUser: string | null;
  readonlyPassword: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function clickhouseSettings(env: NodeJS.ProcessEnv): ClickhouseSettings {
  const rawUrls = (env.CLICKHOUSE_URLS ?? '').trim();
  if (!rawUrls) {
    throw new UserError(
      'WAREHOUSE_ENGINE=clickhouse needs CLICKHOUSE_URLS, the HTTP endpoint of every shard (e.g. http://127.0.0.1:18123,http://127.0.0.1:18124; ' +
        '`npm run clickhouse -- start` prints them) / 使用 ClickHouse 引擎需要设置 CLICKHOUSE_URLS（每个分片的 HTTP 地址，以逗号分隔）',
      EXIT.usage,
    );
  }
  const urls = rawUrls.split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UserError(`CLICKHOUSE_URLS: ${JSON.stringify(u)} is not a URL / 不是有效的地址`, EXIT.usage);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UserError(`CLICKHOUSE_URLS: ${JSON.stringify(u)} must be http:// or https:// / 必须是 http 或 https 地址`, EXIT.usage);
    }
  }
  const cluster = env.CLICKHOUSE_CLUSTER?.trim() || null;
  const database = env.CLICKHOUSE_DATABASE?.trim() || 'tca';
  for (const [name, value] of [['CLICKHOUSE_CLUSTER', cluster], ['CLICKHOUSE_DATABASE', database]] as const) {
    if (value !== null && !NAME.test(value)) {
      throw new UserError(`${name} must be a plain name (letters, digits, _), got ${JSON.stringify(value)} / ${name} 只能包含字母、数字和下划线`, EXIT.usage);
    }
  }
  if (!cluster && urls.length > 1) {
    throw new UserError(
      'CLICKHOUSE_URLS names several shards but CLICKHOUSE_CLUSTER is not set: name the cluster of their remote_servers ' +
        '/ 配置了多个分片地址，但未设置 CLICKHOUSE_CLUSTER（集群名称）',
      EXIT.usage,
    );
  }
  return {
    urls,
    cluster,
    database,
    user: env.CLICKHOUSE_USER?.trim() || 'default',
    password: env.CLICKHOUSE_PASSWORD ?? '',
    readonlyUser: env.CLICKHOUSE_READONLY_USER?.trim() || null,
    readonlyPassword: env.CLICKHOUSE_READONLY_PASSWORD ?? '',
  };
}
