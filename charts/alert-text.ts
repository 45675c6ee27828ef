// The one sentence an alert reads as, in Chinese and English: the webhook bodies, the server-sent
// `alert` event and the dashboard's banner all show it. Pure text from the catalogue's labels and the
// formatters of format.ts, e.g. 【预警】温州市 2026年9月 越级投诉量 3 件，超过阈值 0 件.
import type { AlertCondition, AlertStatus } from '../domain/alerts.ts';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { formatFull, formatPeriod, type Lang } from './format.ts';
import { kpiLabel, kpiUnit } from './labels.ts';

export interface AlertFacts {
  kpi: string;
  period: string;
  status: AlertStatus;
  condition: AlertCondition;
  /** The figure judged: the KPI's value, its month-on-month change (change_pct) or its attainment (status red). */
  value: number | null;
  threshold: number | null;
  /** The region's name in the language asked for ('全省' / 'Province' for ALL). */
  regionName: string;
}

const OPS: Record<string, Record<Lang, string>> = {
  '>': { zh: '超过阈值', en: 'above the threshold of' },
  '>=': { zh: '达到阈值', en: 'at or above the threshold of' },
  '<': { zh: '低于阈值', en: 'below the threshold of' },
  '<=': { zh: '不高于阈值', en: 'at or below the threshold of' },
};

/** A KPI figure with its unit: "3 件", "12.3%", "¥58.20 元/用户·月". */
export function figureText(key: string, value: number | null, lang: Lang): string {
  const def = kpiDefinition(key);
  const text = formatFull(value, def?.unit ?? 'count');
  if (value === null) return text;
  const unit = kpiUnit(key, lang) || (def?.unit === 'count' && def.group === 'complaints' && lang === 'zh' ? '件' : '');
  return unit ? `${text} ${unit}` : text;
}

function percent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function alertMessage(a: AlertFacts, lang: Lang): string {
  const label = kpiLabel(a.kpi, lang);
  const when = formatPeriod(a.period, lang);
  const resolved = a.status === 'resolved';
  const head = lang === 'zh' ? (resolved ? '【预警解除】' : '【预警】') : resolved ? '[Resolved]' : '[Alert]';
  const c = a.condition;
  let what: string;
  if ('op' in c) {
    const line = `${OPS[c.op]![lang]} ${figureText(a.kpi, a.threshold, lang)}`;
    what =
      lang === 'zh'
        ? `${label} ${figureText(a.kpi, a.value, lang)}，${resolved ? `已不再${line}` : line}`
        : `${label} ${figureText(a.kpi, a.value, lang)}, ${resolved ? `no longer ${line}` : line}`;
  } else if ('change_pct' in c) {
    const v = a.value;
    const dir = v === null ? '' : lang === 'zh' ? (v >= 0 ? '上升' : '下降') : v >= 0 ? 'up' : 'down';
    const size = v === null ? '—' : percent(Math.abs(v));
    what =
      lang === 'zh'
        ? `${label} 环比${dir} ${size}，${resolved ? '已回到' : '达到'}变动阈值 ${percent(a.threshold)}${resolved ? '以内' : ''}`
        : `${label} ${dir} ${size} month on month, ${resolved ? 'back within' : 'at or beyond'} the ${percent(a.threshold)} change threshold`;
  } else {
    what =
      lang === 'zh'
        ? `${label} 目标完成率 ${percent(a.value)}，${resolved ? '已不再' : ''}低于 ${percent(a.threshold)}（红灯）`
        : `${label} attainment ${percent(a.value)}, ${resolved ? 'no longer ' : ''}below ${percent(a.threshold)} (red)`;
  }
  return lang === 'zh' ? `${head}${a.regionName} ${when} ${what}` : `${head} ${a.regionName} ${when}: ${what}`;
}
