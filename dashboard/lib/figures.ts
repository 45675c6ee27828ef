// How one KPI figure reads wherever the dashboard shows it (tiles, the city table, panels, the wall):
// the formatted number, "—" for a figure that is undefined (a zero denominator), and "未上报 / not
// reported" for one whose extract has not arrived (domain/missing.ts) — never a 0, and never with a
// month-over-month change.
import { formatChange, formatValue, NOT_REPORTED, type Change, type Lang } from '../../charts/format.ts';
import { kpiMeta } from '../../charts/labels.ts';
import { missingSources, type MissingExtracts } from '../../domain/missing.ts';
import type { Kind } from '../../domain/contracts.ts';
import type { MessageKey } from './messages.ts';
import type { KpiResult, KpiValues } from './types.ts';

/** Where a set of figures was asked for, and which extracts had not arrived there for the month. */
export interface FigureScope {
  region: string;
  missing: MissingExtracts;
  /** How many regions the dashboard knows: for the province a kind is missing only when every one lacks it. */
  regionCount: number;
}

export function scopeOf(answer: Pick<KpiResult, 'region' | 'missing_extracts'>, regionCount: number): FigureScope {
  return { region: answer.region, missing: answer.missing_extracts, regionCount };
}

export interface Figure {
  key: string;
  value: number | null;
  /** The kinds whose extract has not arrived, when that is why the value is null; else empty. */
  notReported: Kind[];
  text: string;
}

/** The kinds whose missing extract made `key` null in `kpis` (isNotReported's rule, domain/missing.ts); empty when it has a value or is merely undefined. */
export function notReportedSources(key: string, kpis: KpiValues | null | undefined, scope: FigureScope | null): Kind[] {
  if ((kpis?.[key] ?? null) !== null || !scope) return [];
  return missingSources(key, scope.region, scope.missing, scope.regionCount);
}

export function figure(key: string, kpis: KpiValues | null | undefined, scope: FigureScope | null, lang: Lang): Figure {
  const value = kpis?.[key] ?? null;
  const notReported = notReportedSources(key, kpis, scope);
  return { key, value, notReported, text: notReported.length ? NOT_REPORTED[lang] : formatValue(value, kpiMeta(key).kind, lang) };
}

/** The month-over-month change of a figure; none for a figure that is not reported or undefined. */
export function figureChange(f: Figure, previous: number | null, lang: Lang): Change | null {
  return f.notReported.length ? null : formatChange(f.value, previous, kpiMeta(f.key).kind, lang);
}

/** The kinds not reported for any of `keys` (a panel drawn from those figures says so instead of drawing nothing, or zeros). */
export function notReportedKinds(keys: readonly string[], kpis: KpiValues | null | undefined, scope: FigureScope | null): Kind[] {
  const kinds = new Set(keys.flatMap((key) => notReportedSources(key, kpis, scope)));
  return [...kinds];
}

/** "本月未上报：投诉数据" / "Not reported this month: complaint extract", for a title or a panel. */
export function notReportedNote(kinds: readonly Kind[], t: (key: MessageKey) => string): string {
  return t('board.notReportedWhich') + kinds.map((k) => t(`kind.${k}`)).join(t('board.listSeparator'));
}
