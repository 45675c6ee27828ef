// The briefing's charts: which spec builder of charts/ draws which figures. The same builders (and so
// the same scales, colours and number formats) as the dashboard's board, sized for A4 in points.
import type { TopLevelSpec } from 'vega-lite';
import { buildBreakdownSpec, buildChannelMixSpec, buildChannelProductivitySpec, buildComplaintSourcesSpec, type BreakdownRow as ChartRow } from '../charts/breakdown.ts';
import { buildCityComparisonSpec } from '../charts/city-comparison.ts';
import { enumCodes, enumLabel, kpiLabel } from '../charts/labels.ts';
import type { ChartBase } from '../charts/theme.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { buildTrendSpec, type TrendPoint } from '../charts/trend.ts';
import { COMPARISON_KEY, SERVICE_CODES, type BreakdownDimension, type BriefingData } from './briefing.ts';

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
  const bars = (id: string, title: string, rows: ChartRow[], build: (b: ChartBase, rows: ChartRow[]) => TopLevelSpec) => {
    const height = barsHeight(rows);
    add(id, title, half, height, build(base(half, height), rows), BAR_LABEL_ROOM);
  };

  const cityHeight = Math.max(150, d.cities.length * 17);
  add(
    'cities',
    `各地市${kpiLabel(COMPARISON_KEY, 'zh')}（${d.region === 'ALL' ? '虚线为全省' : '深色为本市，虚线为全省'}）`,
    full,
    cityHeight,
    buildCityComparisonSpec(
      { ...base(full, cityHeight), metric: COMPARISON_KEY, selected: d.region === 'ALL' ? null : d.region, reference: d.comparisonReference },
      d.cities,
    ),
    BAR_LABEL_ROOM,
  );
  add('convergence', '融合渗透率（近12个月）', half, 150, trend(d, [{ key: 'convergence_rate', name: kpiLabel('convergence_rate', 'zh') }], 'ratio', half, 150));
  add(
    'churn',
    '离网率：融合与单产品（近12个月）',
    half,
    150,
    trend(
      d,
      [
        { key: 'churn_rate_converged', name: '融合' },
        { key: 'churn_rate_standalone', name: '单产品' },
      ],
      'ratio',
      half,
      150,
    ),
  );
  const services = SERVICE_CODES.map((s) => ({ key: `revenue_${s}`, name: enumLabel('service', s, 'zh') }));
  add('revenue', '分业务收入（近12个月）', full, 170, trend(d, services, 'money', full, 170));
  bars(
    'arpu',
    '分业务ARPU（本月）',
    enumCodes('service').map((code) => ({ code, value: d.kpis[`arpu_${code}`] ?? null })),
    (b, rows) => buildBreakdownSpec({ ...b, dimension: 'service', kind: 'money', valueTitle: 'ARPU' }, rows),
  );
  bars('mix', '渠道新增结构', breakdownRows(d, 'channel_type', 'gross_adds'), buildChannelMixSpec);
  bars('productivity', '店均新增（渠道效能）', breakdownRows(d, 'channel_type', 'adds_per_outlet'), buildChannelProductivitySpec);
  bars('converged-adds', '融合新增占比（按渠道类型）', breakdownRows(d, 'channel_type', 'converged_adds_share'), (b, rows) =>
    buildBreakdownSpec({ ...b, dimension: 'channel_type', kind: 'ratio', valueTitle: '融合新增占比' }, rows),
  );
  // Only the social channels earn commission; a type without any has no bar.
  const commission = breakdownRows(d, 'channel_type', 'commission_per_add').filter((r) => r.value !== null && r.value !== 0);
  bars('commission', '单用户酬金（社会渠道）', commission, (b, rows) => buildBreakdownSpec({ ...b, dimension: 'channel_type', kind: 'money', valueTitle: '单用户酬金' }, rows));
  bars('categories', '万户投诉率（按投诉类别）', breakdownRows(d, 'category', 'complaints_per_10k'), (b, rows) =>
    buildBreakdownSpec({ ...b, dimension: 'category', kind: 'per_10k', valueTitle: '万户投诉率', sortByValue: true }, rows),
  );
  bars('sources', '投诉来源（红色为越级投诉）', breakdownRows(d, 'source', 'complaints'), buildComplaintSourcesSpec);
  add('escalated', '越级投诉（近12个月）', half, 140, trend(d, [{ key: 'escalated_complaints', name: kpiLabel('escalated_complaints', 'zh') }], 'count', half, 140));
  add('sla', '时限内处理率（近12个月）', half, 140, trend(d, [{ key: 'sla_met_rate', name: kpiLabel('sla_met_rate', 'zh') }], 'ratio', half, 140));
  return Object.fromEntries(defs.map((c) => [c.id, c]));
}
