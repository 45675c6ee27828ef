// The SQL console's query on the ClickHouse engine: checked (sql-guard.ts), wrapped with a row cap,
// run as the console's readonly user (readonly=2) on the first shard with per-query limits, and read
// back as TabSeparatedWithNamesAndTypes — every value as the server's exact text, so Int64 and
// Decimal values lose nothing on the way to JSON or Arrow (server/sql-run-clickhouse.ts).
import { randomUUID } from 'node:crypto';
import { UserError } from '../errors.ts';
import { type ClickhouseDataPlane, clickhouseErrorText, ident, literal } from './data-plane.ts';
import { checkClickhouseSql } from './sql-guard.ts';

export interface ConsoleColumn {
  name: string;
  /** ClickHouse's type name, e.g. Nullable(Decimal(18, 2)). */
  type: string;
}

export interface ConsoleResult {
  columns: ConsoleColumn[];
  /** Each value as the server's text, null for NULL. */
  rows: (string | null)[][];
  truncated: boolean;
}

export interface ConsoleLimits {
  /** Rows returned at most (one more is read to know whether there were more). */
  limit: number;
  timeoutMs: number;
  maxMemoryBytes?: number;
  signal?: AbortSignal;
}

/**
 * What the console may read: the tables and views of the platform's database, but not a shard's own
 * part (`_local`), a load's staging (`_staging`, `_staging_all`), a model's build table (`__new`) or
 * the models' bookkeeping (`ctl_model_state`).
 */
export async function consoleTables(dp: ClickhouseDataPlane): Promise<{ name: string; engine: string }[]> {
  return dp.query<{ name: string; engine: string }>(
    `SELECT name, engine FROM system.tables WHERE database = ${literal(dp.settings.database)}
       AND NOT match(name, '(_local|_staging|_staging_all|__new)$') AND name != 'ctl_model_state' AND NOT startsWith(name, '.') ORDER BY name`,
  );
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', '0': '\0', "'": "'", '\\': '\\' };

function unescapeTsv(field: string): string | null {
  if (field === '\\N') return null;
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : field;
}

export interface ConsoleStream {
  columns: ConsoleColumn[];
  /** The rows as they arrive, each value as the server's text (null for NULL); at most `limit` + 1. */
  rows: AsyncIterable<(string | null)[]>;
}

/**
 * The whole result of one console query as a stream (POST /api/sql/export): the same check, readonly
 * user and per-query limits as runConsoleQuery, wrapped in `LIMIT limit+1` (and `max_result_rows`), the
 * server's own `FORMAT TabSeparatedWithNamesAndTypes` appended after the wrapper and read from
 * ClickHouse's HTTP response line by line — one row a line, nothing held but the line being read.
 */
export async function streamConsoleQuery(dp: ClickhouseDataPlane, sql: string, limits: ConsoleLimits): Promise<ConsoleStream> {
  const tables = new Set((await consoleTables(dp)).map((t) => t.name));
  const body = checkClickhouseSql(sql, dp.settings.database, tables).replace(/[\s;]+$/, '');
  const wrapped = `SELECT * FROM (\n${body}\n) LIMIT ${limits.limit + 1}\nFORMAT TabSeparatedWithNamesAndTypes`;
  const running = killedOnAbort(dp, limits.signal);
  let stream: AsyncIterable<Buffer> & { destroy(): void };
  try {
    const result = await dp.readonlyShard().client.exec({
      query: wrapped,
      query_id: running.queryId,
      clickhouse_settings: limitSettings(limits),
      ...(limits.signal ? { abort_signal: limits.signal } : {}),
    });
    stream = result.stream as unknown as AsyncIterable<Buffer> & { destroy(): void };
  } catch (err) {
    running.done();
    throw refusal(err, limits);
  }
  const lines = async function* (): AsyncGenerator<string> {
    let rest = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream) {
        const text = rest + decoder.decode(chunk, { stream: true });
        const parts = text.split('\n');
        rest = parts.pop()!;
        yield* parts;
      }
      rest += decoder.decode();
      if (rest !== '') yield rest;
    } finally {
      running.done();
      stream.destroy();
    }
  };
  const it = lines()[Symbol.asyncIterator]();
  const header = async () => {
    const r = await it.next();
    return r.done ? [] : r.value.split('\t').map((f) => unescapeTsv(f) ?? '');
  };
  const names = await header();
  const types = await header();
  return {
    columns: names.map((name, i) => ({ name, type: types[i] ?? 'String' })),
    rows: {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const r = await it.next();
            if (r.done) return;
            yield r.value.split('\t').map(unescapeTsv);
          }
        } finally {
          // a reader that stops early (the export's cap, a client gone) releases the response too
          await it.return(undefined);
        }
      },
    },
  };
}

/** Checks and runs one console query; UserError (the reason in Chinese and English) when refused or failed. */
export async function runConsoleQuery(dp: ClickhouseDataPlane, sql: string, limits: ConsoleLimits): Promise<ConsoleResult> {
  const tables = new Set((await consoleTables(dp)).map((t) => t.name));
  const body = checkClickhouseSql(sql, dp.settings.database, tables).replace(/[\s;]+$/, '');
  // The user's text alone between newlines: a trailing comment cannot swallow the wrapper.
  const wrapped = `SELECT * FROM (\n${body}\n) LIMIT ${limits.limit + 1}`;
  const shard = dp.readonlyShard();
  const running = killedOnAbort(dp, limits.signal);
  let text: string;
  try {
    const rs = await shard.client.query({
      query: wrapped,
      query_id: running.queryId,
      format: 'TabSeparatedWithNamesAndTypes',
      clickhouse_settings: limitSettings(limits),
      ...(limits.signal ? { abort_signal: limits.signal } : {}),
    });
    text = await rs.text();
  } catch (err) {
    throw refusal(err, limits);
  } finally {
    running.done();
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const names = (lines[0] ?? '').split('\t').map((f) => unescapeTsv(f) ?? '');
  const types = (lines[1] ?? '').split('\t').map((f) => unescapeTsv(f) ?? '');
  const columns = names.map((name, i) => ({ name, type: types[i] ?? 'String' }));
  const rows = lines.slice(2).map((l) => l.split('\t').map(unescapeTsv));
  const truncated = rows.length > limits.limit;
  if (truncated) rows.length = limits.limit;
  return { columns, rows, truncated };
}

/**
 * A console query's id, and its end on the cluster when the caller gives up (the client went away):
 * ClickHouse 18.16 goes on with a query whose HTTP client has gone until it next writes to it, which
 * for an aggregation or a sort is when it has finished — up to the time limit, half an hour for an
 * export. Killing the query on the first shard does not stop its parts on the other shards either, so
 * every shard is told to kill what this query started there (`initial_query_id`). `done()` once the
 * query has ended on its own.
 */
function killedOnAbort(dp: ClickhouseDataPlane, signal: AbortSignal | undefined): { queryId: string; done(): void } {
  const queryId = randomUUID();
  const kill = () => {
    for (const shard of dp.shards) {
      shard.command(`KILL QUERY WHERE initial_query_id = ${literal(queryId)} ASYNC`).catch((err: unknown) => {
        console.error(`could not stop console query ${queryId} on shard ${shard.index}: ${clickhouseErrorText(err)}`);
      });
    }
  };
  signal?.addEventListener('abort', kill, { once: true });
  return { queryId, done: () => signal?.removeEventListener('abort', kill) };
}

/** The per-query limits every console statement runs under (the readonly=2 user may set them). */
function limitSettings(limits: ConsoleLimits) {
  return {
    max_execution_time: Math.max(1, Math.ceil(limits.timeoutMs / 1000)),
    max_result_rows: String(limits.limit + 1),
    result_overflow_mode: 'throw',
    max_memory_usage: String(limits.maxMemoryBytes ?? 1_000_000_000),
  } as const;
}

/** A ClickHouse error as the user's refusal: the time limit said as such, anything else with its reason. */
function refusal(err: unknown, limits: ConsoleLimits): UserError {
  const reason = clickhouseErrorText(err);
  if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(reason)) {
    return new UserError(`the query ran longer than the ${limits.timeoutMs / 1000} s limit and was stopped / 查询超过 ${limits.timeoutMs / 1000} 秒限制，已停止`);
  }
  return new UserError(`ClickHouse refused the query: ${reason} / ClickHouse 拒绝了该查询`);
}

/** GET /api/schema on this engine: what the console may read, with columns and ClickHouse types. */
export async function consoleSchema(dp: ClickhouseDataPlane): Promise<{ schema: string; name: string; kind: string; columns: { name: string; type: string }[] }[]> {
  const out = [];
  for (const t of await consoleTables(dp)) {
    const columns = await dp.query<{ name: string; type: string }>(`DESCRIBE TABLE ${ident(t.name)}`);
    out.push({ schema: dp.settings.database, name: t.name, kind: t.engine === 'View' ? 'view' : 'table', columns: columns.map((c) => ({ name: c.name, type: c.type })) });
  }
  return out;
}
