// Periods as the model runner speaks them: slices say 'YYYY-MM', models bind $periods and
// $previous_periods as DATE lists of first days of months.
import { DATE, LIST, dateValue, listValue } from '@duckdb/node-api';
import type { Kind } from '../domain/contracts.ts';
import type { Bindings } from './models-sql.ts';

export interface ModelSlice {
  kind: Kind;
  region_code: string;
  /** 'YYYY-MM' */
  period: string;
}

/** Periods ('YYYY-MM-01') to rebuild for the slices of a load: see the rule in models.ts. */
export function periodsToRebuild(slices: readonly ModelSlice[]): string[] {
  const out = new Set<string>();
  for (const s of slices) {
    out.add(`${checkMonth(s.period)}-01`);
    if (s.kind === 'subscriber') out.add(`${addMonths(s.period, 1)}-01`);
  }
  return [...out].sort();
}

/** 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = checkMonth(month).split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function checkMonth(period: string): string {
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(period);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`slice period must be YYYY-MM, got ${JSON.stringify(period)}`);
  return `${m[1]}-${m[2]}`;
}

/** $periods (the months rebuilt) and $previous_periods (the month before each), as DATE lists. */
export function periodBindings(periods: string[]): Bindings {
  const toDate = (p: string) => {
    const [year, month] = p.split('-').map(Number) as [number, number];
    return dateValue({ year, month, day: 1 });
  };
  const previous = periods.map((p) => `${addMonths(p.slice(0, 7), -1)}-01`);
  return {
    values: { periods: listValue(periods.map(toDate)), previous_periods: listValue(previous.map(toDate)) },
    types: { periods: LIST(DATE), previous_periods: LIST(DATE) },
  };
}

