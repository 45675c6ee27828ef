// How the briefing shows a judged target (domain/targets.ts's TargetRow) in words and colours, shared
// by the PDF's targets page and tiles, the XLSX and the commentary: the target and the actual as the
// board formats the KPI, the year to date against time progress for annual additive targets, the
// status as a word and a colour. A missing actual reads "未上报" when its extract has not arrived.
import { MISSING, NOT_REPORTED, formatFull, formatPeriod, formatValue, type Lang } from '../charts/format.ts';
import type { TargetRow, TargetStatus } from '../domain/targets.ts';
import { kindOf, notReported, type BriefingData } from './briefing.ts';
import { PALETTE } from '../charts/theme.ts';
import { TEXT } from './text.ts';

/** Status colours of the targets page and the tiles: green met, amber within 10%, red below. */
export const STATUS_COLORS: Record<TargetStatus, string> = {
  green: PALETTE.light.good,
  amber: '#b45309', // the board's amber (dashboard Tile.svelte)
  red: PALETTE.light.warn,
  none: PALETTE.light.muted,
};

/** Argb for exceljs fills, the same colours. */
export function statusArgb(status: TargetStatus): string {
  return `FF${STATUS_COLORS[status].slice(1).toUpperCase()}`;
}

export function targetPeriodText(targetPeriod: string, lang: Lang): string {
  return /^\d{4}$/.test(targetPeriod) ? `${targetPeriod} ${TEXT[lang].targets.annual}` : formatPeriod(targetPeriod, lang);
}

/** The target row of `key` in the briefing, if one applies this month. */
export function targetOf(d: Pick<BriefingData, 'targets'>, key: string): TargetRow | undefined {
  return d.targets.rows.find((r) => r.kpi === key);
}

/** A figure of the KPI in full ("¥1,200,000,000.00", "1.2%"), or "—". */
export function figureText(kpi: string, value: number | null): string {
  return formatFull(value, kindOf(kpi));
}

/** The month's actual: the figure, "未上报" when its extract has not arrived, else "—". */
export function actualText(d: Pick<BriefingData, 'region' | 'missing' | 'regionCount'>, row: TargetRow, lang: Lang): string {
  return notReported(d, row.kpi, row.actual) ? NOT_REPORTED[lang] : figureText(row.kpi, row.actual);
}

/** 97.8% — or "—" when there is nothing to judge. */
export function attainmentText(row: Pick<TargetRow, 'attainment'>): string {
  return formatValue(row.attainment, 'ratio', 'en');
}

/** "年累计 ¥8.80亿，时序进度 75.0%" / "year to date ¥880M, time progress 75.0%" for a year-to-date target, else null. */
export function progressText(row: TargetRow, lang: Lang): string | null {
  if (row.time_progress === null) return null;
  const ytd = row.ytd === null ? MISSING : formatValue(row.ytd, kindOf(row.kpi), lang);
  const progress = formatValue(row.time_progress, 'ratio', lang);
  return lang === 'zh' ? `年累计 ${ytd}，时序进度 ${progress}` : `year to date ${ytd}, time progress ${progress}`;
}

/** A gap in points: "+5.0个百分点" / "+5.0 pp"; "—" without one. */
export function gapText(row: Pick<TargetRow, 'gap'>, lang: Lang): string {
  return row.gap === null ? MISSING : TEXT[lang].targets.points(row.gap);
}
