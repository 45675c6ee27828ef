// Loads one extract file: whole or not at all. Steps: record the attempt, read and check every row
// in DuckDB, decide (duplicate, refused, loaded), then one transaction that replaces the file's
// slices, inserts the good rows, its rejects, its slices and the load record.
import { CONTRACTS, type Kind } from '../domain/contracts.ts';
import { ALL_REGIONS } from '../domain/region-code.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import { type Warehouse, quoteIdent } from '../warehouse/db.ts';
import { describeDuckDbError, errorMessage } from '../warehouse/errors.ts';
import { clusterKeyHits } from '../warehouse/clickhouse/keys.ts';
import { pushPendingLoads } from '../warehouse/clickhouse/load.ts';
import type { WorkerPool } from '../workers/pool.ts';
import { checkTableSql, checkViewSql, keyColumn, keyJoin, keyText, periodIsDate, rowRejectsSql } from './checks.ts';
import { type Encoding, formatFromFileName, kindFromFileName, sliceClaim } from './detect.ts';
import { HeaderError, mapHeader } from './header.ts';
import { rejectMessage } from './messages.ts';
import { type PreparedSource, SourceError, prepareSource } from './source.ts';
import { XlsxError } from './xlsx.ts';

export type LoadStatus = 'loaded' | 'duplicate' | 'refused';

export interface FileResult {
  file: string;
  kind: Kind | null;
  status: LoadStatus;
  rows_loaded: number;
  rows_rejected: number;
  load_id: number | null;
  message: string;
  /** (region_code, period 'YYYY-MM') pairs this load replaced; empty unless loaded. */
  slices: { region_code: string; period: string }[];
}

export interface IngestOptions {
  kind?: Kind;
  encoding?: Encoding;
  sheet?: string;
  /** Share of data rows that may be rejected before the file is refused (default 0.05). */
  rejectThreshold?: number;
  /** The name recorded and reported (e.g. the upload's original name); defaults to the path. */
  displayName?: string;
  /** Folder for temporary UTF-8 CSVs (a server's staging folder, the only one its DuckDB may read). */
  tempDir?: string;
  /** GBK transcoding and XLSX unpacking on these worker threads (the server's event loop stays free). */
  workers?: WorkerPool;
}

export type Phase = 'reading' | 'checking' | 'loading' | 'done';

export interface IngestEffects {
  now?: () => Date;
  progress?: (p: { file: string; phase: Phase; done: number; total: number }) => void;
}

class Refusal extends Error {}

const locks = new WeakMap<Warehouse, Promise<unknown>>();

/** One load at a time per warehouse: loads decide against what earlier loads left. */
export function ingestFile(wh: Warehouse, file: string, opts: IngestOptions = {}, fx: IngestEffects = {}): Promise<FileResult> {
  const prev = locks.get(wh) ?? Promise.resolve();
  const next = prev
    .catch(() => undefined)
    .then(() => ingestOne(wh, file, opts, fx))
    .then(async (r) => {
      // On the ClickHouse engine the committed load goes on to the cluster (a failure leaves it pending
      // in the control plane, and the next command completes it).
      if (r.status === 'loaded' && wh.clickhouse) await pushPendingLoads(wh);
      return r;
    });
  locks.set(wh, next);
  return next;
}

async function ingestOne(wh: Warehouse, file: string, opts: IngestOptions, fx: IngestEffects): Promise<FileResult> {
  const now = () => shanghaiTimestamp(fx.now?.() ?? new Date());
  const name = opts.displayName ?? file;
  const kind = opts.kind ?? kindFromFileName(name);
  const format = formatFromFileName(name) ?? formatFromFileName(file);
  const loadId = Number((await wh.one<{ id: bigint }>(`select nextval('load_id_seq') as id`))!.id);
  await wh.run(
    `insert into loads (load_id, file_name, kind, format, status, started_at) values ($id, $name, $kind, $format, 'running', $t::timestamp)`,
    { id: loadId, name, kind, format, t: now() },
  );
  const result = (status: LoadStatus, message: string, extra: Partial<FileResult> = {}): FileResult => ({
    file: name,
    kind,
    status,
    rows_loaded: 0,
    rows_rejected: 0,
    load_id: loadId,
    message,
    slices: [],
    ...extra,
  });
  let source: PreparedSource | null = null;
  try {
    if (!kind) throw new Refusal(`no kind in the file name and no --kind given (expected a name like subscriber_330300_202609.csv) / 无法从文件名判断数据类型`);
    if (!format) throw new Refusal(`unsupported file type (expected .csv, .tsv, .xlsx or .parquet) / 不支持的文件类型`);
    fx.progress?.({ file: name, phase: 'reading', done: 0, total: 1 });
    source = await prepareSource(wh, file, {
      format,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
      ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
      ...(opts.workers ? { workers: opts.workers } : {}),
      name,
      onBytes: (done, total) => fx.progress?.({ file: name, phase: 'reading', done, total }),
    });
    await wh.run(`update loads set sha256 = $sha, encoding = $enc where load_id = $id`, {
      sha: source.sha256,
      enc: source.encoding,
      id: loadId,
    });
    const regions = (await wh.all<{ code: string }>('select code from regions order by code')).map((r) => r.code);
    const known = new Set(regions);
    const claim = sliceClaim(kind, name, known);
    const original = await sameContent(wh, kind, source.sha256, loadId, claim, known);
    if (original !== null) {
      const message = `the same content was already loaded as load ${original}; skipped / 相同内容已于第 ${original} 次加载导入,已跳过`;
      await finish(wh, loadId, 'duplicate', now(), { message, duplicate_of: Number(original) });
      return result('duplicate', message, { load_id: Number(original) });
    }
    const outcome = await checkAndLoad(wh, kind, source, loadId, opts.rejectThreshold ?? 0.05, { name, regions, claim }, fx, now);
    return result(outcome.status, outcome.message, outcome);
  } catch (err) {
    const expected = err instanceof Refusal || err instanceof SourceError || err instanceof HeaderError || err instanceof XlsxError;
    const message = expected ? errorMessage(err) : describeDuckDbError(err, 'file');
    await finish(wh, loadId, 'refused', now(), { message });
    return result('refused', message);
  } finally {
    source?.cleanup();
    await wh.run('drop view if exists chkv; drop table if exists chk; drop table if exists bad; drop table if exists dupk; drop table if exists slice; drop table if exists msgs');
    fx.progress?.({ file: name, phase: 'done', done: 1, total: 1 });
  }
}

async function finish(
  wh: Warehouse,
  loadId: number,
  status: string,
  finishedAt: string,
  f: { message: string; rows_total?: number; rows_loaded?: number; rows_rejected?: number; duplicate_of?: number },
): Promise<void> {
  await wh.run(
    `update loads set status = $status, message = $message, rows_total = $total, rows_loaded = $loaded,
       rows_rejected = $rejected, duplicate_of = $dup, finished_at = $t::timestamp where load_id = $id`,
    {
      status,
      message: f.message,
      total: f.rows_total ?? null,
      loaded: f.rows_loaded ?? null,
      rejected: f.rows_rejected ?? null,
      dup: f.duplicate_of ?? null,
      t: finishedAt,
      id: loadId,
    },
  );
}

type SliceClaim = NonNullable<ReturnType<typeof sliceClaim>>;

/**
 * The earlier loaded file with the same bytes, which makes this one a duplicate — unless the two
 * names claim different empty slices: the same header-only file sent for two cities or two months is
 * two empty slices, not one file twice. Returns the earlier load's id.
 */
async function sameContent(
  wh: Warehouse,
  kind: Kind,
  sha256: string | null,
  loadId: number,
  claim: SliceClaim | null,
  regions: ReadonlySet<string>,
): Promise<bigint | null> {
  const earlier = await wh.all<{ load_id: bigint; file_name: string }>(
    `select load_id, file_name from loads where sha256 = $sha and status = 'loaded' and load_id <> $id order by load_id`,
    { sha: sha256, id: loadId },
  );
  const same = (other: SliceClaim | null) => other?.region === claim?.region && other?.period === claim?.period;
  return earlier.find((l) => same(sliceClaim(kind, l.file_name, regions)))?.load_id ?? null;
}

interface Outcome {
  status: LoadStatus;
  message: string;
  rows_loaded: number;
  rows_rejected: number;
  slices: { region_code: string; period: string }[];
}

async function checkAndLoad(
  wh: Warehouse,
  kind: Kind,
  source: PreparedSource,
  loadId: number,
  threshold: number,
  { name, regions, claim }: { name: string; regions: string[]; claim: SliceClaim | null },
  fx: IngestEffects,
  now: () => string,
): Promise<Outcome> {
  const contract = CONTRACTS[kind];
  const mapping = mapHeader(contract, source.header);
  const raw = quoteIdent(`raw_${kind}`);
  // A target's period is text as written ('2026' or '2026-09'), the other kinds' a month's first day.
  const dated = periodIsDate(contract);
  const periodText = (expr: string) => (dated ? `strftime(${expr}, '%Y-%m')` : expr);
  fx.progress?.({ file: name, phase: 'checking', done: 0, total: 1 });
  await wh.run(checkTableSql(contract, mapping, source.relation, regions, source.hasLine));
  await wh.run(checkViewSql(source.hasLine));
  await wh.run(`create or replace temp table bad (line bigint, col varchar, val varchar, reason varchar, detail varchar)`);
  await wh.run(rowRejectsSql(contract));
  // A key repeated inside the file rejects every row carrying it.
  const keyCols = contract.key.map(quoteIdent);
  await wh.run(
    `create or replace temp table dupk as select ${keyCols.join(', ')} from chk
     where ${keyCols.map((k) => `${k} is not null`).join(' and ')} group by all having count(*) > 1`,
  );
  const fileDups = Number((await wh.one<{ n: bigint }>('select count(*) as n from dupk'))!.n) > 0;
  const notDup = fileDups ? `and not exists (select 1 from dupk d where ${keyJoin(contract, 'c', 'd')})` : '';
  if (fileDups) {
    await wh.run(
      `insert into bad select c.line, '${keyColumn(contract)}', ${keyText(contract, 'c')}, 'duplicate_key', 'inside this file'
       from chkv c join dupk d on ${keyJoin(contract, 'c', 'd')}`,
    );
  }
  await wh.run(
    `create or replace temp table slice as select region_code, period, count(*) as n from chkv c where ok ${notDup} group by all`,
  );
  const rows = Number((await wh.one<{ n: bigint }>('select count(*) as n from chk'))!.n);
  const empty = await addEmptySlices(wh, kind, claim, rows);
  // Keys must also be unique against what stays in the warehouse after this file replaces its slices:
  // on ClickHouse, the cluster's rows (asked for this file's keys) beside the DuckDB rows not yet pushed.
  let stays = raw;
  if (wh.clickhouse && kind !== 'target') {
    const cols = await clusterKeyHits(wh, kind, contract.key, `select ${keyCols.join(', ')} from chkv where ok`);
    const list = cols.map(quoteIdent).join(', ');
    stays = `(select ${list} from ${raw} union all select ${list} from ch_key_hits)`;
  }
  await wh.run(
    `insert into bad select c.line, '${keyColumn(contract)}', ${keyText(contract, 'c')}, 'duplicate_key',
       'in the warehouse (load ' || r.load_id || ', region ' || r.region_code || ', ' || ${periodText('r.period')} || ')'
     from chkv c join ${stays} r on ${keyJoin(contract, 'c', 'r')}
     where c.ok ${notDup}
       and not exists (select 1 from slice s where s.region_code = r.region_code and s.period = r.period)`,
  );
  const rejected = Number((await wh.one<{ n: bigint }>('select count(distinct line) as n from bad'))!.n);
  await prepareMessages(wh, kind);
  const insertRejects = `insert into rejects select ${loadId}, b.line, b.col, b.val, b.reason,
      replace(replace(m.message, '{value}', coalesce(b.val, '')), '{detail}', coalesce(b.detail, ''))
    from bad b join msgs m on m.col = b.col and m.reason = b.reason order by b.line, b.col`;

  if (rows > 0 && rejected > threshold * rows) {
    const pct = ((100 * rejected) / rows).toFixed(1);
    const message =
      `refused: ${rejected} of ${rows} rows (${pct}%) break the rules, over the ${(threshold * 100).toFixed(0)}% threshold; nothing was loaded ` +
      `/ 拒绝导入: ${rejected}/${rows} 行(${pct}%)不合规,超过 ${(threshold * 100).toFixed(0)}% 阈值,未导入任何数据`;
    await wh.transaction(async () => {
      await wh.run(insertRejects);
      await finish(wh, loadId, 'refused', now(), { message, rows_total: rows, rows_loaded: 0, rows_rejected: rejected });
    });
    return { status: 'refused', message, rows_loaded: 0, rows_rejected: rejected, slices: [] };
  }

  fx.progress?.({ file: name, phase: 'loading', done: 0, total: 1 });
  const dataCols = contract.columns.map((c) => quoteIdent(c.name));
  const periodCol = contract.periodFrom === 'period' ? [] : ['period'];
  const loaded = await wh.transaction(async () => {
    await wh.run(
      `delete from ${raw} r where exists (select 1 from slice s where s.region_code = r.region_code and s.period = r.period)`,
    );
    await wh.run(
      `insert into ${raw} (load_id, line, ${[...periodCol, ...dataCols].join(', ')}, extra)
       select ${loadId}, line, ${[...periodCol, ...dataCols].join(', ')}, extra from chkv
       where ok ${rejected ? 'and line not in (select line from bad)' : ''}`,
    );
    await wh.run(insertRejects);
    await wh.run(
      `update load_slices set superseded_by_load = ${loadId}
       where kind = '${kind}' and superseded_by_load is null
         and exists (select 1 from slice s where s.region_code = load_slices.region_code and s.period = load_slices.${dated ? 'period' : 'period_text'})`,
    );
    // Slice row counts less the rows the warehouse key check turned away.
    await wh.run(
      `insert into load_slices (load_id, kind, region_code, period, rows, superseded_by_load, period_text)
       select ${loadId}, '${kind}', s.region_code,
         ${dated ? 's.period' : `(case when length(s.period) = 4 then s.period || '-01' else s.period end || '-01')::date`},
         s.n - (select count(*) from bad b join chkv c on c.line = b.line
                where b.detail like 'in the warehouse%' and c.region_code = s.region_code and c.period = s.period), null,
         ${dated ? 'null' : 's.period'}
       from slice s`,
    );
    const n = Number((await wh.one<{ n: bigint }>(`select coalesce(sum(rows), 0)::bigint as n from load_slices where load_id = ${loadId}`))!.n);
    const slices = await wh.all<{ region_code: string; period: string }>(
      `select region_code, ${periodText('period')} as period from slice order by period, region_code`,
    );
    const message =
      `loaded ${n} rows` +
      (rejected ? `, rejected ${rejected} (see the rejects of load ${loadId})` : '') +
      ` into ${slices.length} slice(s)${empty.en} / 已导入 ${n} 行` +
      (rejected ? `,拒绝 ${rejected} 行` : '') +
      empty.zh;
    await finish(wh, loadId, 'loaded', now(), { message, rows_total: rows, rows_loaded: n, rows_rejected: rejected });
    return { n, slices, message };
  });
  return { status: 'loaded', message: loaded.message, rows_loaded: loaded.n, rows_rejected: rejected, slices: loaded.slices };
}

/**
 * Empty slices (extracts.md, "Empty and missing slices"): a file without data rows named for one region
 * and one month is that (region, month)'s empty slice; a complaint file named for ALL and one month
 * covers every region of the list, so a region it does not mention for that month (no row of it, good
 * or rejected, in that month or of unknown month) gets an empty slice. They go into `slice` with n = 0
 * and replace what was there like any slice. Returns the phrase the load's message adds.
 */
async function addEmptySlices(wh: Warehouse, kind: Kind, named: SliceClaim | null, rows: number): Promise<{ en: string; zh: string }> {
  if (named === null || (named.region !== ALL_REGIONS && rows > 0)) {
    if (rows > 0) return { en: '', zh: '' };
    return {
      en: `; the file has no data rows, and only a file named for one region and one month (${kind}_330300_202609.csv${kind === 'complaint' ? ', or complaint_ALL_202609.csv' : ''}) records empty slices: no slice was recorded`,
      zh: `;文件没有数据行,且文件名未指明单个地市和月份,未记录任何切片`,
    };
  }
  await wh.run(
    `insert into slice select g.code, $p::date, 0 from regions g
     where ($region = 'ALL' or g.code = $region)
       and not exists (select 1 from chkv c where c.region_code = g.code and (c.period = $p::date or c.period is null))`,
    { p: `${named.period}-01`, region: named.region },
  );
  const n = Number((await wh.one<{ n: bigint }>('select count(*) as n from slice where n = 0'))!.n);
  if (n === 0) return { en: '', zh: '' };
  const all = named.region === ALL_REGIONS;
  return {
    en: `, ${n} of them empty (${all ? `${n} region(s) without rows in ${named.period}` : `${named.region} ${named.period}`}: known to have none)`,
    zh: `,其中 ${n} 个空切片(${all ? `${n} 个地市` : named.region} ${named.period} 无数据)`,
  };
}

/** Messages for the (column, reason) pairs present, computed once per file. */
async function prepareMessages(wh: Warehouse, kind: Kind): Promise<void> {
  await wh.run(`create or replace temp table msgs (col varchar, reason varchar, message varchar)`);
  const pairs = await wh.all<{ col: string; reason: string }>(`select distinct col, reason from bad`);
  for (const p of pairs) {
    await wh.run(`insert into msgs values ($c, $r, $m)`, { c: p.col, r: p.reason, m: rejectMessage(kind, p.col, p.reason) });
  }
}
