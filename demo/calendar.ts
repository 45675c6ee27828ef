// Calendar arithmetic for the demo data. Extract dates are local (Asia/Shanghai) wall-clock values,
// so days and seconds are counted on a naive UTC-based axis: no time zone ever shifts a value.

const DAY_MS = 86_400_000;

export interface Month {
  /** year × 12 + (month − 1): consecutive months differ by 1. */
  index: number;
  /** 'YYYY-MM', as written in the period columns. */
  period: string;
  /** 'YYYYMM', as used in file names and ids. */
  compact: string;
  /** Day numbers (days since 1970-01-01) of the first and last day. */
  first: number;
  last: number;
  days: number;
}

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function monthAt(index: number): Month {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const mm = String(month).padStart(2, '0');
  const first = dayOf(year, month, 1);
  const last = dayOf(year, month + 1, 1) - 1;
  return { index, period: `${year}-${mm}`, compact: `${year}${mm}`, first, last, days: last - first + 1 };
}

function dateText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * 'YYYY-MM-DD' for a day number, from a table built once: millions of rows format the same few
 * thousand dates, and a Date round trip per cell would dominate the generation time.
 */
export class DateTexts {
  private readonly texts: string[] = [];

  constructor(private readonly from: number, to: number) {
    for (let d = from; d <= to; d++) this.texts.push(dateText(d));
  }

  of(day: number): string {
    return this.texts[day - this.from] ?? dateText(day);
  }

  /** 'YYYY-MM-DD HH:MM:SS' for seconds since 1970-01-01 on the same naive axis. */
  timestamp(seconds: number): string {
    const day = Math.floor(seconds / 86_400);
    let rest = seconds - day * 86_400;
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    return `${this.of(day)} ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Fen (integer) → '123.45'; integer arithmetic only, so no float rounding drift ever shows. */
export function money(fen: number): string {
  const abs = fen < 0 ? -fen : fen;
  const cents = abs % 100;
  return `${fen < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}
