// The SQL console's statement check on the ClickHouse engine, the first of its two layers (the second:
// the console's user has a profile with readonly=2, so the server itself refuses every write). At
// readonly=2 ClickHouse 18.16 still runs url(), remote(), reads of system.*, KILL QUERY on one's own
// queries and a SETTINGS max_execution_time=0 clause; this check is what stops them. No parser of
// ClickHouse SQL runs in Node, so the text is tokenised (strings, quoted names and comments are
// understood, so nothing hides in them) and held to a narrow shape:
//   - one statement, starting with SELECT or WITH;
//   - no SETTINGS, FORMAT or INTO OUTFILE clause, no statement keyword of another kind anywhere;
//   - no table function at all, and none of the functions that read outside the query (dictGet…,
//     hasColumnInTable) — wherever they appear;
//   - no `system` name anywhere; every table read (after FROM, JOIN, IN) is one the console may read:
//     a table or view of the platform's database, unqualified or qualified with that database (the
//     query then runs with every such name qualified: see checkClickhouseSql).
import { UserError } from '../errors.ts';

export const MAX_CONSOLE_SQL_LENGTH = 100_000;

/** A token of the text: its kind, its value, and where it starts in the text. */
type Token = { t: 'word' | 'quoted' | 'string' | 'number' | 'punct'; v: string; at: number };

function refuse(reason: string): never {
  throw new UserError(`${reason}`);
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '#' && (sql[i + 1] === ' ' || sql[i + 1] === '!')) {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) refuse('a comment is not closed (/* without */) / 注释未闭合');
      i = end + 2;
    } else if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= n) refuse(`a ${c === "'" ? 'string' : 'quoted name'} is not closed / 字符串或标识符未闭合`);
        const d = sql[j]!;
        if (d === '\\') {
          v += sql[j + 1] ?? '';
          j += 2;
        } else if (d === c && sql[j + 1] === c) {
          v += c;
          j += 2;
        } else if (d === c) {
          j++;
          break;
        } else {
          v += d;
          j++;
        }
      }
      out.push({ t: c === "'" ? 'string' : 'quoted', v, at: i });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      out.push({ t: 'word', v: sql.slice(i, j), at: i });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) {
        // 1e-5, 1e+5
        if ((sql[j] === 'e' || sql[j] === 'E') && (sql[j + 1] === '-' || sql[j + 1] === '+')) j++;
        j++;
      }
      out.push({ t: 'number', v: sql.slice(i, j), at: i });
      i = j;
    } else {
      out.push({ t: 'punct', v: c, at: i });
      i++;
    }
  }
  return out;
}

/** Words that start or belong to statements other than a query, or clauses the console does not allow. */
const DENIED_WORDS = new Set([
  'SETTINGS', 'FORMAT', 'INTO', 'OUTFILE', 'INSERT', 'ALTER', 'CREATE', 'DROP', 'KILL', 'SET', 'SYSTEM', 'ATTACH',
  'DETACH', 'OPTIMIZE', 'RENAME', 'TRUNCATE', 'GRANT', 'REVOKE', 'USE', 'EXCHANGE', 'WATCH', 'SHOW', 'DESCRIBE',
  'EXPLAIN', 'CHECK', 'DELETE', 'UPDATE', 'REPLACE_PARTITION',
]);

/** Functions that reach outside the query: table functions (refused in any position) and a few scalars. */
const DENIED_FUNCTIONS = new Set(
  [
    'file', 'url', 'urlCluster', 'remote', 'remoteSecure', 'cluster', 'clusterAllReplicas', 'mysql', 'odbc', 'jdbc', 'hdfs',
    'hdfsCluster', 's3', 's3Cluster', 'gcs', 'cosn', 'oss', 'azureBlobStorage', 'input', 'numbers', 'numbers_mt', 'zeros',
    'zeros_mt', 'merge', 'generateRandom', 'values', 'view', 'null', 'postgresql', 'sqlite', 'executable', 'dictionary',
    'shardByHash', 'catBoostPool', 'mongodb', 'redis', 'iceberg', 'deltaLake', 'hudi', 'fuzzJSON', 'loop', 'format',
    'hasColumnInTable', 'joinGet', 'getSetting', 'filesystemAvailable', 'filesystemCapacity', 'filesystemFree',
  ].map((f) => f.toLowerCase()),
);

const isName = (tok: Token | undefined): tok is Token => !!tok && (tok.t === 'word' || tok.t === 'quoted');
const isPunct = (tok: Token | undefined, v: string) => !!tok && tok.t === 'punct' && tok.v === v;
const isWord = (tok: Token | undefined, v: string) => !!tok && tok.t === 'word' && tok.v.toUpperCase() === v;

/**
 * Checks a console query; throws UserError with the reason (Chinese and English) when it is refused.
 * `database`: the platform's; `tables`: the names in it the console may read.
 *
 * Returns the query with every table it reads named with the platform's database. A shard runs its
 * part of a query over a Distributed table in its own default database, not the one the query was
 * sent in: `raw_subscriber JOIN (SELECT … FROM raw_channel)` would fail there with "Table
 * default.raw_channel doesn't exist". Only names the check found to be the platform's tables are
 * qualified; nothing else of the text changes.
 */
export function checkClickhouseSql(sql: string, database: string, tables: ReadonlySet<string>): string {
  if (sql.length > MAX_CONSOLE_SQL_LENGTH) refuse(`the query is longer than ${MAX_CONSOLE_SQL_LENGTH} characters / 查询过长`);
  const toks = tokenize(sql);
  while (isPunct(toks[toks.length - 1], ';')) toks.pop();
  if (toks.length === 0) refuse('the query is empty / 查询为空');
  if (toks.some((t) => isPunct(t, ';'))) refuse('only one statement may be run at a time / 每次只能执行一条语句');
  if (!isWord(toks[0], 'SELECT') && !isWord(toks[0], 'WITH')) {
    refuse(`only a SELECT query may be run, not ${toks[0]!.v} / 只能执行 SELECT 查询`);
  }
  for (const [i, tok] of toks.entries()) {
    if (tok.t === 'word' && DENIED_WORDS.has(tok.v.toUpperCase())) {
      refuse(`${tok.v.toUpperCase()} is not allowed in the console (one SELECT, without SETTINGS or FORMAT) / 控制台不允许 ${tok.v.toUpperCase()}`);
    }
    if (isName(tok) && tok.v.toLowerCase() === 'system') refuse('the system tables are not readable from the console / 控制台不能读取 system 表');
    if (isName(tok) && isPunct(toks[i + 1], '(') && (DENIED_FUNCTIONS.has(tok.v.toLowerCase()) || tok.v.toLowerCase().startsWith('dictget'))) {
      refuse(`${tok.v}() reads outside the platform's tables and is not allowed / 不允许使用 ${tok.v}()`);
    }
  }
  // Every table read: after FROM and JOIN (not ARRAY JOIN), and an IN whose right side is a name. A
  // FROM directly inside parentheses that hold no query (extract(YEAR FROM d), trim(… FROM s)) is not one.
  const inQuery: boolean[] = [true];
  const unqualified: number[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    if (isPunct(tok, '(')) {
      inQuery.push(isWord(toks[i + 1], 'SELECT') || isWord(toks[i + 1], 'WITH'));
      continue;
    }
    if (isPunct(tok, ')')) {
      if (inQuery.length > 1) inQuery.pop();
      continue;
    }
    const from = isWord(tok, 'FROM') && inQuery[inQuery.length - 1] === true;
    const join = isWord(tok, 'JOIN') && !isWord(toks[i - 1], 'ARRAY');
    const inTable = isWord(tok, 'IN') && isName(toks[i + 1]);
    if (!from && !join && !inTable) continue;
    let j = i + 1;
    for (;;) {
      j = checkTableRef(toks, j, database, tables, unqualified);
      if (!from) break;
      // FROM a [FINAL] [AS] [alias], b …
      if (isWord(toks[j], 'FINAL')) j++;
      if (isWord(toks[j], 'AS')) j++;
      if (isName(toks[j]) && !isKeyword(toks[j]!)) j++;
      if (!isPunct(toks[j], ',')) break;
      j++;
    }
  }
  const prefix = `\`${database.replaceAll('`', '``')}\`.`;
  let out = '';
  let from = 0;
  for (const at of unqualified.sort((a, b) => a - b)) {
    out += sql.slice(from, at) + prefix;
    from = at;
  }
  return out + sql.slice(from);
}

const CLAUSE_WORDS = new Set(['WHERE', 'PREWHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'UNION', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'ANY', 'ALL', 'ASOF', 'SEMI', 'ANTI', 'GLOBAL', 'ARRAY', 'ON', 'USING', 'SAMPLE', 'FINAL', 'AS', 'WITH', 'LOCAL', 'OUTER']);
const isKeyword = (tok: Token) => tok.t === 'word' && CLAUSE_WORDS.has(tok.v.toUpperCase());

/** Checks the table reference at toks[j]; returns the index after it. An unqualified name's offset goes to `unqualified`. */
function checkTableRef(toks: Token[], j: number, database: string, tables: ReadonlySet<string>, unqualified: number[]): number {
  const first = toks[j];
  if (isPunct(first, '(')) return j + 1; // a subquery: its own FROM is checked in turn
  if (!isName(first)) refuse('a table name or a subquery must follow FROM or JOIN / FROM 或 JOIN 之后应为表名或子查询');
  let db: string | null = null;
  let name = first.v;
  let k = j + 1;
  if (isPunct(toks[k], '.') && isName(toks[k + 1])) {
    db = name;
    name = toks[k + 1]!.v;
    k += 2;
  }
  if (isPunct(toks[k], '(')) refuse(`table functions are not allowed in the console (${name}) / 控制台不允许表函数 ${name}`);
  if (db !== null && db !== database) refuse(`only the platform's database ${database} may be read, not ${db} / 只能读取平台数据库 ${database}`);
  if (!tables.has(name)) refuse(`no table ${name} that the console may read (GET /api/schema lists them) / 没有可查询的表 ${name}`);
  if (db === null) unqualified.push(first.at);
  return k;
}
