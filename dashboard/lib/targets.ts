// How the boards and the league page say a judged target (domain/targets.ts judges it; this only
// words it): the line under a tile's figure, the month's equivalent of a target for a trend's target
// line, and a rank as "第 3 / 11 名". Pure, so the wording is tested without a page.
import { formatValue } from '../../charts/format.ts';
import type { Lang } from '../../charts/format.ts';
import { kpiMeta } from '../../charts/labels.ts';
import type { TargetRow, TargetStatus } from '../../domain/targets.ts';

/** A row whose target is a year's total judged against the year to date (an additive annual target). */
export function isYearToDate(row: TargetRow): boolean {
  return row.ytd !== null || row.time_progress !== null;
}

/**
 * The target a single month's figure is held to, for a trend's target line: the target itself, or a
 * twelfth of an additive key's annual target (what an even year asks of each month).
 */
export function monthlyTarget(row: TargetRow): number {
  return isYearToDate(row) ? row.target / 12 : row.target;
}

const percent = (x: number | null, lang: Lang) => formatValue(x, 'ratio', lang);

export interface TargetLine {
  status: TargetStatus;
  /** e.g. "目标 2.00% · 完成率 125.0%", or for a year's total "年目标 1.20亿 · 完成 58.3% · 时序 66.7%". */
  text: string;
  /** The same in full words, for a tooltip and screen readers. */
  title: string;
}

const WORDS = {
  zh: { target: '目标', annual: '年目标', attainment: '完成率', completion: '完成', time: '时序', status: { green: '达标', amber: '接近目标', red: '未达标', none: '无法评价' } },
  en: { target: 'Target', annual: 'Year target', attainment: 'attainment', completion: 'done', time: 'time', status: { green: 'on target', amber: 'near target', red: 'below target', none: 'not judged' } },
} as const;

/** The line a tile shows under its figure for the target that applies to it. */
export function targetLine(row: TargetRow, lang: Lang): TargetLine {
  const w = WORDS[lang];
  const kind = kpiMeta(row.kpi).kind;
  const target = formatValue(row.target, kind, lang);
  const parts = isYearToDate(row)
    ? [`${w.annual} ${target}`, `${w.completion} ${percent(row.completion, lang)}`, `${w.time} ${percent(row.time_progress, lang)}`]
    : [`${w.target} ${target}`, `${w.attainment} ${percent(row.attainment, lang)}`];
  const text = parts.join(' · ');
  const judged = row.attainment === null ? w.status.none : `${w.attainment} ${percent(row.attainment, lang)}, ${w.status[row.status]}`;
  return { status: row.status, text, title: `${text} — ${judged}` };
}

/** "第 3 / 11 名" or "rank 3 of 11"; null when the region is not ranked. */
export function rankText(rank: number | null, ranked: number, lang: Lang): string | null {
  if (rank === null) return null;
  return lang === 'zh' ? `第 ${rank} / ${ranked} 名` : `rank ${rank} of ${ranked}`;
}

/** A score as the league shows it: one decimal, or the not-judged mark. */
export function scoreText(score: number | null, lang: Lang): string {
  return score === null ? (lang === 'zh' ? '—（无可评价目标）' : '— (nothing to judge)') : score.toFixed(1);
}
