// Number and date formatting in both languages, in two forms that must agree: TypeScript functions
// for tiles, tables and briefing text, and vega expression strings for chart axes and tooltips (vega
// evaluates its own expression language, so the chart cannot call these functions). Both forms are
// generated from the same unit tables below; a test evaluates the expressions in vega and compares.
//
// zh: 万 / 亿 (two decimals, as Chinese operating reports print them), ¥, percentages with one decimal.
// en: K / M / B with three significant figures, ¥, the same percentages.

import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { TIME_ZONE } from '../domain/time.ts';

export type Lang = 'zh' | 'en';

interface Unit {
  at: number;
  suffix: string;
}

const UNITS: Record<Lang, readonly Unit[]> = {
  zh: [
    { at: 1e8, suffix: '亿' },
    { at: 1e4, suffix: '万' },
  ],
  en: [
    { at: 1e9, suffix: 'B' },
    { at: 1e6, suffix: 'M' },
    { at: 1e3, suffix: 'K' },
  ],
};

/** Decimals for a scaled value: zh always two; en three significant figures. */
function decimals(lang: Lang, scaled: number): number {
  if (lang === 'zh') return 2;
  return scaled < 10 ? 2 : scaled < 100 ? 1 : 0;
}

export const MISSING = '—';

/**
 * What a figure reads as when its extract has not arrived for the month (domain/missing.ts): said in
 * words, never a 0 (a perfect month that never happened) and not the "—" of an undefined ratio.
 */
export const NOT_REPORTED: Record<Lang, string> = { zh: '未上报', en: 'not reported' };

function group(digits: string): string {
  const [int, frac] = digits.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** 12345 → "1.23万" (zh) / "12.3K" (en); below the first unit, grouped with the given decimals. */
export function compactNumber(value: number, lang: Lang, smallDecimals = 0): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  for (const unit of UNITS[lang]) {
    if (abs >= unit.at) {
      const scaled = abs / unit.at;
      return `${sign}${scaled.toFixed(decimals(lang, scaled))}${unit.suffix}`;
    }
  }
  return sign + group(abs.toFixed(smallDecimals));
}

/** The display form of a KPI value; null (no data, or a zero denominator) reads as "—". */
export function formatValue(value: number | null | undefined, kind: KpiUnit, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  switch (kind) {
    case 'count':
      return compactNumber(value, lang, Number.isInteger(value) ? 0 : 1);
    case 'money':
      return `¥${compactNumber(value, lang, 2)}`.replace('¥-', '-¥');
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'per_10k':
    case 'per_million':
      return value.toFixed(2);
    case 'hours':
    case 'average':
      return value.toFixed(1);
  }
}

/** Uncompacted, for tables and tooltips: 1,234,567 · ¥1,234,567.89 · 12.3%. */
export function formatFull(value: number | null | undefined, kind: KpiUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  switch (kind) {
    case 'count':
      return sign + group(abs.toFixed(Number.isInteger(abs) ? 0 : 1));
    case 'money':
      return `${sign}¥${group(abs.toFixed(2))}`;
    default:
      return formatValue(value, kind, 'en');
  }
}

export interface Change {
  text: string;
  /** The sign of the change, before judging whether up is good. */
  direction: 'up' | 'down' | 'flat';
}

/**
 * Month-over-month change: ratios move in percentage points (a churn rate going from 2.0% to 2.2%
 * is +0.2 个百分点, not +10%); everything else as a relative change. Null when either side is missing
 * or the base is zero.
 */
export function formatChange(current: number | null | undefined, previous: number | null | undefined, kind: KpiUnit, lang: Lang): Change | null {
  if (current == null || previous == null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  let delta: number;
  let unit: string;
  if (kind === 'ratio') {
    delta = (current - previous) * 100;
    unit = lang === 'zh' ? '个百分点' : ' pp';
  } else {
    if (previous === 0) return null;
    delta = ((current - previous) / Math.abs(previous)) * 100;
    unit = '%';
  }
  const rounded = Number(delta.toFixed(1));
  const direction = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const sign = rounded > 0 ? '+' : rounded < 0 ? '-' : '±';
  return { text: `${sign}${Math.abs(rounded).toFixed(1)}${unit}`, direction };
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-09' → "2026年9月" / "Sep 2026". Accepts 'YYYY-MM' or a 'YYYY-MM-DD' date. */
export function formatPeriod(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  if (!m) return period;
  const year = m[1]!;
  const month = Number(m[2]);
  return lang === 'zh' ? `${year}年${month}月` : `${MONTHS_EN[month - 1]} ${year}`;
}

/** Axis form: "9月" / "Sep", with the year on January so a 12-month axis stays readable. */
export function formatPeriodShort(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  if (!m) return period;
  const month = Number(m[2]);
  if (month === 1) return formatPeriod(period, lang);
  return lang === 'zh' ? `${month}月` : MONTHS_EN[month - 1]!;
}

/** Wall-clock time in Asia/Shanghai, e.g. "14:05:09", whatever the browser's zone. */
export function formatClock(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

// ---- the same rules as vega expressions -------------------------------------------------------

function compactExpr(v: string, lang: Lang, smallDecimals: number): string {
  const abs = `abs(${v})`;
  let expr = `format(${abs}, ',.${smallDecimals}f')`;
  for (const unit of [...UNITS[lang]].reverse()) {
    const scaled = `${abs} / ${unit.at}`;
    const body =
      lang === 'zh'
        ? `format(${scaled}, '.2f')`
        : `format(${scaled}, ${scaled} < 10 ? '.2f' : ${scaled} < 100 ? '.1f' : '.0f')`;
    expr = `${abs} >= ${unit.at} ? ${body} + '${unit.suffix}' : ${expr}`;
  }
  return `(${v} < 0 ? '-' : '') + (${expr})`;
}

/** A vega expression that formats the number `v` (default `datum.value`) as formatValue does. */
export function valueExpr(kind: KpiUnit, lang: Lang, v = 'datum.value'): string {
  const missing = `!isValid(${v}) || !isFinite(${v})`;
  let body: string;
  switch (kind) {
    case 'count':
      body = compactExpr(v, lang, 0);
      break;
    case 'money':
      body = `(${v} < 0 ? '-¥' : '¥') + (${compactExpr(`abs(${v})`, lang, 2)})`;
      break;
    // d3-format writes a typographic minus (U+2212); the sign is added by hand to match toFixed.
    case 'ratio':
      body = `(${v} < 0 ? '-' : '') + format(abs(${v}) * 100, '.1f') + '%'`;
      break;
    case 'per_10k':
    case 'per_million':
      body = `(${v} < 0 ? '-' : '') + format(abs(${v}), '.2f')`;
      break;
    case 'hours':
    case 'average':
      body = `(${v} < 0 ? '-' : '') + format(abs(${v}), '.1f')`;
      break;
  }
  return `${missing} ? '${MISSING}' : ${body}`;
}

/** A vega expression that turns a 'YYYY-MM' string `v` into formatPeriod's (or the short) text. */
export function periodExpr(lang: Lang, v = 'datum.value', short = true): string {
  // Periods stay strings in the specs: a Date would be parsed as UTC and shown in the viewer's zone.
  const year = `substring(${v}, 0, 4)`;
  const month = `toNumber(substring(${v}, 5, 7))`;
  const names = `[${MONTHS_EN.map((m) => `'${m}'`).join(', ')}]`;
  const full = lang === 'zh' ? `${year} + '年' + ${month} + '月'` : `${names}[${month} - 1] + ' ' + ${year}`;
  if (!short) return full;
  const part = lang === 'zh' ? `${month} + '月'` : `${names}[${month} - 1]`;
  return `${month} == 1 ? ${full} : ${part}`;
}
