// The briefing's charts: which spec builder of charts/ draws which figures. The same builders (and so
// the same scales, colours and number formats) as the dashboard's board, sized for A4 in points.
import type { TopLevelSpec } from 'vega-lite';
import { buildBreakdownSpec, buildChannelMixSpec, buildChannelProductivitySpec, buildComplaintSourcesSpec, type BreakdownRow as ChartRow } from '../charts/breakdown.ts';
import { buildCityComparisonSpec } from '../charts/city-comparison.ts';
import { NOT_REPORTED } from '../charts/format.ts';
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

const base = (width: number, height: number): ChartBase => ({ lang: 'zh', theme: 'light', width, height, scale: PRINT_SCALE });

function trend(d: BriefingData, keys: readonly { key: string; name: string }[], kind: KpiUnit, width: number, height: number): TopLevelSpec {
  const rows: TrendPoint[] = keys.flatMap(({ key, name }) => d.periods.map((period, i) => ({ period, series: name, value: d.series[key]?.[i] ?? null })));
  return buildTrendSpec({ ...base(width, height), kind, series: keys.map((k) => k.name) }, rows);
}

function breakdownRows(d: BriefingData, dimension: BreakdownDimension, field: string): ChartRow[] {
  return d.breakdowns[dimension].map((r) => ({ code: r.code, value: r.values[field] ?? null }));
}

/** Bars about as thick whatever their number (the builders leave the height to the caller). */
function barsHeight(rows: readonly ChartRow[]): number {
  return Math.max(56, rows.filter((r) => r.value !== null).length * 21 + 26);
}

/** Every chart of the briefing, by id; the PDF places them, the sizes are its column widths. */
export function briefingCharts(d: BriefingData, full: number, half: number): Record<string, ChartDef> {
  const defs: ChartDef[] = [];
  const add = (id: string, title: string, width: number, height: number, spec: TopLevelSpec, labelRoom?: number) =>
    defs.push({ id, title, width, height, spec, ...(labelRoom ? { labelRoom } : {}) });
  /** Bars of this month; titled "（未上报）" when none has a figure because `sourceKey`'s extracts have not arrived. */
  const bars = (id: string, title: string, rows: ChartRow[], build: (b: ChartBase, rows: ChartRow[]) => TopLevelSpec, sourceKey?: string) => {
    const height = barsHeight(rows);
    const missing = sourceKey !== undefined && rows.every((r) => r.value === null) && notReported(d, sourceKey, null);
    add(id, missing ? `${title}（${NOT_REPORTED.zh}）` : title, half, height, build(base(half, height), rows), BAR_LABEL_ROOM);
  };

  const cityHeight = Math.max(150, d.cities.length * 17);
  // Only the province's briefing compares the cities; a city's holds its own ranks instead (pdf.ts).
  if (d.region === 'ALL')
    add(
    'cities',
    `各地市${kpiLabel(COMPARISON_KEY, 'zh')}（虚线为全省）`,
    full,
    cityHeight,
    buildCityComparisonSpec(
      { ...base(full, cityHeight), metric: COMPARISON_KEY, selected: null, reference: d.comparisonReference },
      // Ranked as GET /api/kpis/ranking ranks them; a city whose extract has not arrived reads "未上报".
      d.cities,
    ),
    BAR_LABEL_ROOM,
  );
  /** One KPI over the 12 months, titled with the catalogue's label. */
  const kpiTrend = (id: string, key: string, height: number) => {
    const label = kpiLabel(key, 'zh');
    // The month itself is a gap when its extract has not arrived: the title says so.
    const missing = (d.series[key]?.at(-1) ?? null) === null && notReported(d, key, null);
    add(id, `${label}（近12个月${missing ? `，本月${NOT_REPORTED.zh}` : ''}）`, half, height, trend(d, [{ key, name: label }], kindOf(key), half, height));
  };
  /** One KPI of this month split by an enumeration, titled with the catalogue's label. */
  const kpiBars = (id: string, key: string, dimension: Dimension, rows: ChartRow[], o: { by?: string; sortByValue?: boolean; sourceKey?: string } = {}) => {
    const label = kpiLabel(key, 'zh');
    bars(
      id,
      `${label}${o.by ? `（${o.by}）` : ''}`,
      rows,
      (b, r) => buildBreakdownSpec({ ...b, dimension, kind: kindOf(key), valueTitle: label, ...(o.sortByValue ? { sortByValue: true } : {}) }, r),
      o.sourceKey ?? key,
    );
  };
  const perService = (prefix: string): ChartRow[] => SERVICE_CODES.map((code) => ({ code, value: d.kpis[`${prefix}${code}`] ?? null }));

  kpiTrend('convergence', 'convergence_rate', 150);
  add(
    'churn',
    `${kpiLabel('churn_rate', 'zh')}：${kpiLabel('churn_rate_converged', 'zh')}与${kpiLabel('churn_rate_standalone', 'zh')}（近12个月）`,
    half,
    150,
    trend(d, ['churn_rate_converged', 'churn_rate_standalone'].map((key) => ({ key, name: kpiLabel(key, 'zh') })), 'ratio', half, 150),
  );
  const services = SERVICE_CODES.map((s) => ({ key: `revenue_${s}`, name: enumLabel('service', s, 'zh') }));
  add('revenue', `分业务${kpiLabel('revenue', 'zh')}（近12个月）`, full, 170, trend(d, services, 'money', full, 170));
  kpiBars('arpu', 'arpu', 'service', perService('arpu_'), { by: '分业务，本月' });
  // A channel type's figures need the outlets and the adds: commission_per_add's sources (briefing.ts TABLES).
  bars('mix', '渠道新增结构', breakdownRows(d, 'channel_type', 'gross_adds'), buildChannelMixSpec, 'commission_per_add');
  bars('productivity', '店均新增（渠道效能）', breakdownRows(d, 'channel_type', 'adds_per_outlet'), buildChannelProductivitySpec, 'commission_per_add');
  kpiBars('converged-adds', 'converged_adds_share', 'channel_type', breakdownRows(d, 'channel_type', 'converged_adds_share'), {
    by: '按渠道类型',
    sourceKey: 'commission_per_add',
  });
  // Only the social channels earn commission; a type without any has no bar.
  const commission = breakdownRows(d, 'channel_type', 'commission_per_add').filter((r) => r.value !== null && r.value !== 0);
  kpiBars('commission', 'commission_per_add', 'channel_type', commission);
  kpiBars('categories', 'complaints_per_10k', 'category', breakdownRows(d, 'category', 'complaints_per_10k'), { by: '按投诉类别', sortByValue: true });
  bars('sources', `投诉来源（红色为${kpiLabel('escalated_complaints', 'zh')}）`, breakdownRows(d, 'source', 'complaints'), buildComplaintSourcesSpec, 'complaints');
  kpiBars('service-complaints', 'complaints', 'service', perService('complaints_'), { by: '按业务' });
  kpiTrend('overdue', 'overdue_open_complaints', 140);
  kpiTrend('escalated', 'escalated_complaints', 140);
  kpiTrend('sla', 'sla_met_rate', 140);
  return Object.fromEntries(defs.map((c) => [c.id, c]));
}
