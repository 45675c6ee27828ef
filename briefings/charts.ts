// The briefing's charts: which spec builder of charts/ draws which figures. The same builders (and so
// the same scales, colours and number formats) as the dashboard's board, sized for A4 in points.
import type { TopLevelSpec } from 'vega-lite';
import { buildBreakdownSpec, buildChannelMixSpec, buildChannelProductivitySpec, buildComplaintSourcesSpec, type BreakdownRow as ChartRow } from '../charts/breakdown.ts';
import { buildCityComparisonSpec } from '../charts/city-comparison.ts';
import { NOT_REPORTED, type Lang } from '../charts/format.ts';
import { enumLabel, kpiLabel, type Dimension } from '../charts/labels.ts';
import type { ChartBase } from '../charts/theme.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { buildTrendSpec, type TrendPoint } from '../charts/trend.ts';
import { COMPARISON_KEY, SERVICE_CODES, kindOf, notReported, type BreakdownDimension, type BriefingData } from './briefing.ts';

export interface ChartDef {
  id: string;
  title: string;
  /** Points; the spec is built for this size. */
  width: number;
  height: number;
  spec: TopLevelSpec;
  /** Room for value labels right of the bars (render-chart.ts). */
  labelRoom?: number;
}

/** Horizontal bars carry their value at the end: the longest needs this much room. */
const BAR_LABEL_ROOM = 40;

/** Print type: the theme's sizes (made for a screen) a little smaller, read at arm's length. */
const PRINT_SCALE = 0.85;

/** Titles that are not a KPI's label (those come from the catalogue in both languages). */
const TITLES: Record<Lang, Record<string, string>> = {
  zh: {
    cities: '各地市{kpi}（虚线为全省）',
    months: '近12个月',
    missingMonth: '，本月',
    churn: '{a}：{b}与{c}（近12个月）',
    revenue: '分业务{kpi}（近12个月）',
    byServiceMonth: '分业务，本月',
    mix: '渠道新增结构',
    productivity: '店均新增（渠道效能）',
    byChannelType: '按渠道类型',
    byCategory: '按投诉类别',
    sources: '投诉来源（红色为{kpi}）',
    byService: '按业务',
    bySegment: '按客户群',
  },
  en: {
    cities: '{kpi} by city (dashed: the province)',
    months: 'last 12 months',
    missingMonth: ', this month ',
    churn: '{a}: {b} and {c} (last 12 months)',
    revenue: '{kpi} by service (last 12 months)',
    byServiceMonth: 'by service, this month',
    mix: 'Gross adds by channel type',
    productivity: 'Adds per outlet (channel productivity)',
    byChannelType: 'by channel type',
    byCategory: 'by category',
    sources: 'Complaints by source (red: {kpi})',
    byService: 'by service',
    bySegment: 'by customer group',
  },
};

const chartBase = (lang: Lang, width: number, height: number): ChartBase => ({ lang, theme: 'light', width, height, scale: PRINT_SCALE });

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? '');

function trend(lang: Lang, d: BriefingData, keys: readonly { key: string; name: string }[], kind: KpiUnit, width: number, height: number): TopLevelSpec {
  const rows: TrendPoint[] = keys.flatMap(({ key, name }) => d.periods.map((period, i) => ({ period, series: name, value: d.series[key]?.[i] ?? null })));
  return buildTrendSpec({ ...chartBase(lang, width, height), kind, series: keys.map((k) => k.name) }, rows);
}

function breakdownRows(d: BriefingData, dimension: BreakdownDimension, field: string): ChartRow[] {
  return d.breakdowns[dimension].map((r) => ({ code: r.code, value: r.values[field] ?? null }));
}

/** Bars about as thick whatever their number (the builders leave the height to the caller). */
function barsHeight(rows: readonly ChartRow[]): number {
  return Math.max(56, rows.filter((r) => r.value !== null).length * 21 + 26);
}

/** Every chart of the briefing, by id, in `lang`; the PDF places them, the sizes are its column widths. */
export function briefingCharts(d: BriefingData, full: number, half: number, lang: Lang = 'zh'): Record<string, ChartDef> {
  const t = TITLES[lang];
  const open = lang === 'zh' ? '（' : ' (';
  const close = lang === 'zh' ? '）' : ')';
  const base = (width: number, height: number): ChartBase => chartBase(lang, width, height);
  const defs: ChartDef[] = [];
  const add = (id: string, title: string, width: number, height: number, spec: TopLevelSpec, labelRoom?: number) =>
    defs.push({ id, title, width, height, spec, ...(labelRoom ? { labelRoom } : {}) });
  /** Bars of this month; titled "（未上报）" when none has a figure because `sourceKey`'s extracts have not arrived. */
  const bars = (id: string, title: string, rows: ChartRow[], build: (b: ChartBase, rows: ChartRow[]) => TopLevelSpec, sourceKey?: string) => {
    const height = barsHeight(rows);
    const missing = sourceKey !== undefined && rows.every((r) => r.value === null) && notReported(d, sourceKey, null);
    add(id, missing ? `${title}${open}${NOT_REPORTED[lang]}${close}` : title, half, height, build(base(half, height), rows), BAR_LABEL_ROOM);
  };

  const cityHeight = Math.max(150, d.cities.length * 17);
  // Only the province's briefing compares the cities; a city's holds its own ranks instead (pdf.ts).
  if (d.region === 'ALL')
    add(
    'cities',
    fill(t.cities!, { kpi: kpiLabel(COMPARISON_KEY, lang) }),
    full,
    cityHeight,
    buildCityComparisonSpec(
      { ...base(full, cityHeight), metric: COMPARISON_KEY, selected: null, reference: d.comparisonReference },
      // Ranked as GET /api/kpis/ranking ranks them; a city whose extract has not arrived reads "未上报".
      lang === 'zh' ? d.cities : d.cities.map((c) => ({ ...c, name: c.nameEn })),
    ),
    BAR_LABEL_ROOM,
  );
  /** One KPI over the 12 months, titled with the catalogue's label. */
  const kpiTrend = (id: string, key: string, height: number) => {
    const label = kpiLabel(key, lang);
    // The month itself is a gap when its extract has not arrived: the title says so.
    const missing = (d.series[key]?.at(-1) ?? null) === null && notReported(d, key, null);
    add(id, `${label}${open}${t.months}${missing ? `${t.missingMonth}${NOT_REPORTED[lang]}` : ''}${close}`, half, height, trend(lang, d, [{ key, name: label }], kindOf(key), half, height));
  };
  /** One KPI of this month split by an enumeration, titled with the catalogue's label. */
  const kpiBars = (id: string, key: string, dimension: Dimension, rows: ChartRow[], o: { by?: string; sortByValue?: boolean; sourceKey?: string } = {}) => {
    const label = kpiLabel(key, lang);
    bars(
      id,
      `${label}${o.by ? `${open}${o.by}${close}` : ''}`,
      rows,
      (b, r) => buildBreakdownSpec({ ...b, dimension, kind: kindOf(key), valueTitle: label, ...(o.sortByValue ? { sortByValue: true } : {}) }, r),
      o.sourceKey ?? key,
    );
  };
  const perService = (prefix: string): ChartRow[] => SERVICE_CODES.map((code) => ({ code, value: d.kpis[`${prefix}${code}`] ?? null }));

  kpiTrend('convergence', 'convergence_rate', 150);
  add(
    'churn',
    fill(t.churn!, { a: kpiLabel('churn_rate', lang), b: kpiLabel('churn_rate_converged', lang), c: kpiLabel('churn_rate_standalone', lang) }),
    half,
    150,
    trend(lang, d, ['churn_rate_converged', 'churn_rate_standalone'].map((key) => ({ key, name: kpiLabel(key, lang) })), 'ratio', half, 150),
  );
  const services = SERVICE_CODES.map((s) => ({ key: `revenue_${s}`, name: enumLabel('service', s, lang) }));
  add('revenue', fill(t.revenue!, { kpi: kpiLabel('revenue', lang) }), full, 170, trend(lang, d, services, 'money', full, 170));
  kpiBars('arpu', 'arpu', 'service', perService('arpu_'), { by: t.byServiceMonth! });
  // The customer groups: revenue and convergence per group (mart_kpis_segment).
  kpiBars('segment-revenue', 'revenue', 'segment', breakdownRows(d, 'segment', 'revenue'), { by: t.bySegment! });
  kpiBars('segment-convergence', 'convergence_rate', 'segment', breakdownRows(d, 'segment', 'convergence_rate'), { by: t.bySegment! });
  // A channel type's figures need the outlets and the adds: commission_per_add's sources (briefing.ts TABLES).
  bars('mix', t.mix!, breakdownRows(d, 'channel_type', 'gross_adds'), buildChannelMixSpec, 'commission_per_add');
  bars('productivity', t.productivity!, breakdownRows(d, 'channel_type', 'adds_per_outlet'), buildChannelProductivitySpec, 'commission_per_add');
  kpiBars('converged-adds', 'converged_adds_share', 'channel_type', breakdownRows(d, 'channel_type', 'converged_adds_share'), {
    by: t.byChannelType!,
    sourceKey: 'commission_per_add',
  });
  // Only the social channels earn commission; a type without any has no bar.
  const commission = breakdownRows(d, 'channel_type', 'commission_per_add').filter((r) => r.value !== null && r.value !== 0);
  kpiBars('commission', 'commission_per_add', 'channel_type', commission);
  kpiBars('categories', 'complaints_per_10k', 'category', breakdownRows(d, 'category', 'complaints_per_10k'), { by: t.byCategory!, sortByValue: true });
  bars('sources', fill(t.sources!, { kpi: kpiLabel('escalated_complaints', lang) }), breakdownRows(d, 'source', 'complaints'), buildComplaintSourcesSpec, 'complaints');
  kpiBars('service-complaints', 'complaints', 'service', perService('complaints_'), { by: t.byService! });
  kpiTrend('overdue', 'overdue_open_complaints', 140);
  kpiTrend('escalated', 'escalated_complaints', 140);
  kpiTrend('sla', 'sla_met_rate', 140);
  return Object.fromEntries(defs.map((c) => [c.id, c]));
}
