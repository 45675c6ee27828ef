// The deterministic demo-data generator: a synthetic provincial operator (11 Zhejiang cities)
// written as monthly extract files that satisfy every rule of extracts.md, with the shapes the KPIs
// are about (convergence, churn, channels, complaints, ARPU). Same options → byte-identical files.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTRACTS, type Kind } from '../domain/contracts.ts';
import { lastCompleteMonth, normalizePeriod, periodIndex } from '../domain/period.ts';
import { DateTexts, dayOf, monthAt, type Month } from './calendar.ts';

/** 'YYYY-MM' or 'YYYYMM' → month index, or undefined when it is not a real month. */
function parseMonth(text: string): number | undefined {
  const period = normalizePeriod(text);
  return period === undefined ? undefined : periodIndex(period);
}
import { ComplaintDesk } from './complaints.ts';
import { Population } from './population.ts';
import { Random } from './random.ts';
import { RowFormatter, header } from './rows.ts';
import { CITIES, Outlets } from './world.ts';
import { CsvWriter, writeXlsx, type WrittenFile } from './writer.ts';
import { demoTargets, writeTargetFile } from './targets.ts';
import { EXIT, UserError } from '../warehouse/errors.ts';

export interface DemoDataOptions {
  out: string;
  /** Subscriptions active in the first month (default 200,000). */
  subscribers?: number;
  months?: number;
  /** Last month, 'YYYY-MM' or 'YYYYMM' (default: the last complete month in Asia/Shanghai). */
  end?: string;
  seed?: number;
  /** Write complaint and channel files as BSS exports do: Chinese headers and labels, GBK-encoded CSV. */
  gbk?: boolean;
  /** Write channel files as XLSX (first sheet) instead of CSV. */
  xlsxChannels?: boolean;
}

export interface DemoDataEffects {
  /** Called after each file with files done and files in all. */
  progress?: (done: number, total: number) => void;
  logger?: { info(message: string): void };
  /** Only read to default `end`; the data never depends on the clock. */
  now?: () => Date;
}

export interface DemoDataFile {
  path: string;
  kind: Kind;
  period: string;
  rows: number;
  bytes: number;
}

export interface DemoDataSummary {
  out: string;
  periods: string[];
  files: DemoDataFile[];
  rows: Record<Kind, number>;
}

export interface NormalizedDemoDataOptions {
  out: string;
  subscribers: number;
  months: number;
  end: string;
  seed: number;
  gbk: boolean;
  xlsxChannels: boolean;
}

const COMMISSION_COLUMN = CONTRACTS.channel.columns.findIndex((c) => c.name === 'commission');

export const DEMO_DATA_DEFAULTS = { subscribers: 200_000, months: 12, seed: 1 } as const;

export function normalizeDemoDataOptions(input: DemoDataOptions, now: () => Date = () => new Date()): NormalizedDemoDataOptions {
  if (!input.out) throw new UserError('--out DIR is required', EXIT.usage);
  const subscribers = input.subscribers ?? DEMO_DATA_DEFAULTS.subscribers;
  const months = input.months ?? DEMO_DATA_DEFAULTS.months;
  const seed = input.seed ?? DEMO_DATA_DEFAULTS.seed;
  if (!Number.isInteger(subscribers) || subscribers < 100 || subscribers > 20_000_000) {
    throw new UserError(`--subscribers must be an integer from 100 to 20,000,000, got ${input.subscribers}`, EXIT.usage);
  }
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    throw new UserError(`--months must be an integer from 1 to 120, got ${input.months}`, EXIT.usage);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UserError(`--seed must be an integer from 0 to 4294967295, got ${input.seed}`, EXIT.usage);
  }
  const endIndex = parseMonth(input.end ?? lastCompleteMonth(now()));
  if (endIndex === undefined) throw new UserError(`--end must be a month YYYY-MM, got ${input.end}`, EXIT.usage);
  return {
    out: resolve(input.out),
    subscribers,
    months,
    end: monthAt(endIndex).period,
    seed,
    gbk: input.gbk ?? false,
    xlsxChannels: input.xlsxChannels ?? false,
  };
}

export async function generateDemoData(options: DemoDataOptions, effects: DemoDataEffects = {}): Promise<DemoDataSummary> {
  const o = normalizeDemoDataOptions(options, effects.now);
  const endIndex = parseMonth(o.end) ?? 0;
  const months = Array.from({ length: o.months }, (_, i) => monthAt(endIndex - o.months + 1 + i));
  const first = months[0] as Month;
  const last = months[months.length - 1] as Month;
  mkdirSync(o.out, { recursive: true });
  effects.logger?.info(`demo data: ${o.subscribers} subscriptions, ${first.period}..${last.period}, seed ${o.seed} → ${o.out}`);

  const totalShare = CITIES.reduce((sum, c) => sum + c.share, 0);
  const perCity = apportion(o.subscribers, CITIES.map((c) => c.share / totalShare));
  const outlets = new Outlets(new Random(o.seed, 'outlets'), perCity, { first, last });
  const population = new Population(new Random(o.seed, 'population'), outlets);
  population.seedBase(perCity, first.first);
  const desk = new ComplaintDesk(new Random(o.seed, 'complaints'));
  const rows = new RowFormatter(new DateTexts(dayOf(2000, 1, 1), last.last + 1), o.seed);

  const summary: DemoDataSummary = { out: o.out, periods: [], files: [], rows: { subscriber: 0, channel: 0, complaint: 0, revenue: 0, target: 0 } };
  const years = [...new Set(months.map((m) => m.period.slice(0, 4)))];
  const total = months.length * 4 + years.length;
  const record = (kind: Kind, period: string, path: string, written: WrittenFile) => {
    summary.files.push({ path, kind, period, ...written });
    summary.rows[kind] += written.rows;
    effects.progress?.(summary.files.length, total);
  };
  const fileName = (kind: Kind, m: Month, ext = 'csv') => join(o.out, `${kind}_ALL_${m.compact}.${ext}`);

  for (const m of months) {
    summary.periods.push(m.period);
    for (const outlet of outlets.all) outlet.adds = outlet.convergedAdds = 0;
    const extract = population.simulate(m, m === first);

    let path = fileName('subscriber', m);
    record('subscriber', m.period, path, CsvWriter.write(path, header('subscriber', false), 'utf8', (w) => {
      for (const s of extract) w.line(rows.subscriberLine(m.period, s));
    }));

    path = fileName('revenue', m);
    record('revenue', m.period, path, CsvWriter.write(path, header('revenue', false), 'utf8', (w) => {
      const emit = (line: string) => w.line(line);
      for (const s of extract) rows.revenueLines(m, s, emit);
    }));

    const complaints = desk.month(m, extract);
    path = fileName('complaint', m);
    record('complaint', m.period, path, CsvWriter.write(path, header('complaint', o.gbk), o.gbk ? 'gbk' : 'utf8', (w) => {
      for (const c of complaints) w.fields(rows.complaintRow(c, o.gbk));
    }));

    // Closed outlets stay listed: old subscriptions still name them as the channel that sold them.
    const listed = outlets.all.filter((outlet) => outlet.opened <= m.last);
    if (o.xlsxChannels) {
      path = fileName('channel', m, 'xlsx');
      const stamp = new Date((m.last + 1) * 86_400_000);
      // Money as a number cell and empty cells as no cell at all, the way a spreadsheet export holds them.
      const cells = listed.map((outlet) =>
        rows.channelRow(m, outlet, o.gbk).map((v, i) => (v === '' ? null : i === COMMISSION_COLUMN ? Number(v) : v)),
      );
      record('channel', m.period, path, await writeXlsx(path, 'channel', header('channel', o.gbk), cells, stamp));
    } else {
      path = fileName('channel', m);
      record('channel', m.period, path, CsvWriter.write(path, header('channel', o.gbk), o.gbk ? 'gbk' : 'utf8', (w) => {
        for (const outlet of listed) w.fields(rows.channelRow(m, outlet, o.gbk));
      }));
    }
    population.settle(extract);
  }
  // The goals the cities are judged against: one target file per year, after the data.
  for (const year of years) {
    const path = join(o.out, `target_ALL_${year}.csv`);
    record('target', year, path, writeTargetFile(path, demoTargets(perCity, year, last.period), o.gbk));
  }
  return summary;
}

/** Splits `total` into integer parts proportional to `shares` that add up to exactly `total`. */
function apportion(total: number, shares: readonly number[]): number[] {
  const parts = shares.map((s) => Math.floor(total * s));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => ({ i, frac: total * s - Math.floor(total * s) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}
