// Targets judged (考核): attainment, year-to-date progress, status and the scorecard, as pure arithmetic
// from a target and the figures the KPI answers give — one set of rules for the API, the CLI, the
// board, the alerts and the briefings. queries/targets.ts gathers the inputs from the warehouse;
// nothing here reads anything. Browser-safe.
//
// The rules (the project's design, "Targets"):
// - A monthly target ('2026-09') applies to its month, an annual one ('2026') to every month of the
//   year; where both exist for a month and KPI the monthly one applies, with its own weight.
// - Monthly targets, and annual targets of non-additive keys, judge the month's figure a:
//   higher: a / t; lower: (2t − a) / t, floored at 0.
// - Annual targets of additive keys judge the year to date: m = the month's number, time_progress =
//   m / 12, pt = t × m / 12, ytd = Σ a over January … m of the months that have the figure;
//   attainment = ytd / pt (higher) or (2pt − ytd) / pt floored at 0 (lower); completion = ytd / t,
//   gap = completion − time_progress.
// - t = 0: lower → 1 when the actual (or ytd) is ≤ 0, else 0; higher → null.
// - A null actual (no month with the figure, for ytd) → attainment null; a KPI whose direction is
//   `none` is not judged (attainment null).
// - Status: green ≥ 1, amber ≥ 0.9, red below, none when attainment is null.
// - Score = 100 × Σ w × min(attainment, 1.2) / Σ w over the KPIs with weight > 0 and an attainment;
//   null when there is none. Regions are ranked by score, rank 1 the highest, ties sharing the smaller
//   rank; ALL (the province's own targets) is scored but not ranked.
//
// Ratios are doubles; each is rounded to 10 decimals so that float noise (2 − 0.022 / 0.02 =
// 0.8999999999999999) never moves a status across 0.9 or 1, nor splits a tie.
import type { KpiDirection } from './kpi-catalogue.ts';
import { rankByDirection } from './ranking.ts';

export type TargetStatus = 'green' | 'amber' | 'red' | 'none';
export const TARGET_STATUSES: readonly TargetStatus[] = ['green', 'amber', 'red', 'none'];

/** Attainment at or above which a target is met (green), and amber's floor. */
export const GREEN_FROM = 1;
export const AMBER_FROM = 0.9;
/** A KPI's attainment counts in the score up to this cap. */
export const SCORE_CAP = 1.2;

/** One judged target: the row of `npm run targets -- --json` and GET /api/targets. */
export interface TargetRow {
  kpi: string;
  target: number;
  /** 'YYYY' (an annual target) or 'YYYY-MM' (a monthly one): whichever applied. */
  target_period: string;
  /** The month's figure, as GET /api/kpis gives it. */
  actual: number | null;
  /** Annual targets of additive keys only (else null): the year-to-date sum and its months. */
  ytd: number | null;
  months_covered: number | null;
  time_progress: number | null;
  completion: number | null;
  gap: number | null;
  attainment: number | null;
  status: TargetStatus;
  weight: number | null;
}

export interface TargetsResult {
  period: string;
  region: string;
  score: number | null;
  /** 1 = the highest score among the regions of the list; null for ALL and for a region without a score. */
  rank: number | null;
  /** How many regions of the list have a score (and so a rank). */
  ranked: number;
  rows: TargetRow[];
  /** The KPIs the score is made of: weight > 0 and an attainment. */
  scored_kpis: string[];
}

export interface ScorecardRow {
  region_code: string;
  name_zh: string;
  name_en: string | null;
  score: number | null;
  rank: number | null;
}

export interface ScorecardResult {
  period: string;
  /** Best first; regions without a score last, in code order. */
  rows: ScorecardRow[];
}

/** A target as loaded (GET /api/targets/loaded, the targets page): the row of raw_target and its file. */
export interface LoadedTarget {
  region_code: string;
  /** 'YYYY' or 'YYYY-MM', as written. */
  period: string;
  kpi: string;
  target: number;
  weight: number | null;
  load_id: number;
  file: string;
}

/** What judging one target needs. */
export interface TargetInput {
  kpi: string;
  direction: KpiDirection;
  additive: boolean;
  target: number;
  target_period: string;
  weight: number | null;
  /** The judged month, 'YYYY-MM'. */
  period: string;
  actual: number | null;
  /** Σ of the figure over January … period of the months that have it, and how many months those are. */
  ytd: number | null;
  months_covered: number;
}

/** Rounds away float noise (10 decimals); null stays null. */
export function clean(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const r = Math.round(x * 1e10) / 1e10;
  return r === 0 ? 0 : r;
}

/** Attainment of an actual against a target by the KPI's direction (the monthly rule). */
export function attainment(direction: KpiDirection, target: number, actual: number | null): number | null {
  if (actual === null || direction === 'none') return null;
  if (target === 0) return direction === 'lower' ? (actual <= 0 ? 1 : 0) : null;
  if (direction === 'higher') return clean(actual / target);
  return clean(Math.max(0, (2 * target - actual) / target));
}

export function statusOf(att: number | null): TargetStatus {
  if (att === null) return 'none';
  if (att >= GREEN_FROM) return 'green';
  if (att >= AMBER_FROM) return 'amber';
  return 'red';
}

/** Whether a target is judged on the year to date: an annual target of an additive key. */
export function isYearToDate(additive: boolean, targetPeriod: string): boolean {
  return additive && /^\d{4}$/.test(targetPeriod);
}

export function judgeTarget(i: TargetInput): TargetRow {
  // Fields in targets.md's order.
  const row = (
    ytd: Pick<TargetRow, 'ytd' | 'months_covered' | 'time_progress' | 'completion' | 'gap'>,
    att: number | null,
  ): TargetRow => ({
    kpi: i.kpi,
    target: i.target,
    target_period: i.target_period,
    actual: i.actual,
    ...ytd,
    attainment: att,
    status: statusOf(att),
    weight: i.weight,
  });
  if (!isYearToDate(i.additive, i.target_period)) {
    return row({ ytd: null, months_covered: null, time_progress: null, completion: null, gap: null }, attainment(i.direction, i.target, i.actual));
  }
  const m = Number(i.period.slice(5, 7));
  const timeProgress = m / 12;
  const ytd = i.months_covered > 0 ? i.ytd : null;
  const completion = ytd === null || i.target === 0 ? null : clean(ytd / i.target);
  const gap = completion === null ? null : clean(completion - timeProgress);
  // The target pro-rated to the month; attainment(pt, ytd) is the monthly rule applied to it.
  const att = attainment(i.direction, (i.target * m) / 12, ytd);
  return row({ ytd, months_covered: i.months_covered, time_progress: clean(timeProgress), completion, gap }, att);
}

/** The score of a region's judged rows, and the KPIs it is made of (in the rows' order). */
export function scoreOf(rows: readonly Pick<TargetRow, 'kpi' | 'weight' | 'attainment'>[]): { score: number | null; scored_kpis: string[] } {
  const scored = rows.filter((r) => r.weight !== null && r.weight > 0 && r.attainment !== null);
  const total = scored.reduce((s, r) => s + r.weight!, 0);
  if (scored.length === 0 || total <= 0) return { score: null, scored_kpis: [] };
  const sum = scored.reduce((s, r) => s + r.weight! * Math.min(r.attainment!, SCORE_CAP), 0);
  return { score: clean((100 * sum) / total), scored_kpis: scored.map((r) => r.kpi) };
}

/** Ranks regions by score: rank 1 the highest, ties share the smaller rank, no score → no rank (last). */
export function rankScores<T>(items: readonly T[], score: (item: T) => number | null): { item: T; rank: number | null }[] {
  return rankByDirection(items, score, 'higher');
}
