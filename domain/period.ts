// Months ('YYYY-MM') as every part of the platform speaks them — extracts, models, the API, the
// dashboard and the briefings — in one module free of Date arithmetic and of the machine's time zone,
// so Node and the browser import the same rules. One year rule for all: 1900–2999.
import { shanghaiTimestamp } from './time.ts';

const MONTH = /^(\d{4})-?(\d{2})$/;

function split(text: string): [number, number] | undefined {
  const m = MONTH.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 1900 || year > 2999) return undefined;
  return [year, month];
}

/** True for a real month written 'YYYY-MM'. */
export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && value.length === 7 && split(value) !== undefined;
}

/** 'YYYY-MM' or 'YYYYMM' (as in file names) → 'YYYY-MM'; undefined when it is not a real month. */
export function normalizePeriod(text: string): string | undefined {
  const ym = split(text.trim());
  return ym && periodAt(ym[0] * 12 + ym[1] - 1);
}

/** year × 12 + (month − 1): consecutive months differ by 1, so ranges and differences are integers. */
export function periodIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

export function periodAt(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 'YYYY-MM' plus n months (n may be negative). */
export function addMonths(period: string, n: number): string {
  return periodAt(periodIndex(period) + n);
}

/** Inclusive list of months from `from` to `to`, oldest first; empty when `to` precedes `from`. */
export function monthRange(from: string, to: string): string[] {
  const first = periodIndex(from);
  return Array.from({ length: Math.max(0, periodIndex(to) - first + 1) }, (_, i) => periodAt(first + i));
}

/** The `count` months ending with `period`, oldest first. */
export function monthsEnding(period: string, count = 12): string[] {
  return monthRange(addMonths(period, 1 - count), period);
}

/** The month it is now in Asia/Shanghai, whatever the machine's or the browser's zone. */
export function currentMonth(now: Date = new Date()): string {
  return shanghaiTimestamp(now).slice(0, 7);
}

/** The last calendar month that has fully ended in Asia/Shanghai at `now`. */
export function lastCompleteMonth(now: Date = new Date()): string {
  return addMonths(currentMonth(now), -1);
}
