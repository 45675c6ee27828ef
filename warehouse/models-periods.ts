// Periods as the model runner speaks them: slices say 'YYYY-MM', models bind $periods and
// $previous_periods as DATE lists of first days of months.
import { DATE, LIST, dateValue, listValue } from '@duckdb/node-api';
import type { Kind } from '../domain/contracts.ts';
import { addMonths, isPeriod } from '../domain/period.ts';
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
    // Targets are read by the queries as they are: a target load rebuilds no month.
    if (s.kind === 'target') continue;
    out.add(`${checkMonth(s.period)}-01`);
    if (s.kind === 'subscriber') out.add(`${addMonths(checkMonth(s.period), 1)}-01`);
  }
  return [...out].sort();
}

/** A slice's 'YYYY-MM' (or the models' 'YYYY-MM-01'), checked. */
export function checkMonth(period: string): string {
  const month = /^\d{4}-\d{2}-01$/.test(period) ? period.slice(0, 7) : period;
  if (!isPeriod(month)) throw new Error(`slice period must be YYYY-MM, got ${JSON.stringify(period)}`);
  return month;
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

