// A KPI (or a few comparable ones) over the months: lines with points, periods as 'YYYY-MM' strings
// on an ordinal axis (no Date parsing, so no time-zone drift), values labelled as the tiles label them.
// A month without a figure (not reported, or undefined) is a gap in the line, never a 0 and never
// bridged; the months before the first figure (before the warehouse's history) are left out, the
// ones after the last stay on the axis, empty, so a month not reported yet is seen to be missing.
import type { TopLevelSpec } from 'vega-lite';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { periodExpr, valueExpr } from './format.ts';
import { frame, palette, valueAxis, type ChartBase } from './theme.ts';

export interface TrendConfig extends ChartBase {
  kind: KpiUnit;
  title?: string;
  /** Series names in legend order; omitted = the order they appear in the rows. */
  series?: readonly string[];
  /** A target the month's figure is held to: drawn as a dashed line across the months, labelled. */
  target?: { value: number; label: string } | null;
}

export interface TrendPoint {
  period: string;
  series: string;
  value: number | null;
}

export function buildTrendSpec(config: TrendConfig, rows: readonly TrendPoint[]): TopLevelSpec {
  const p = palette(config);
  const scale = config.scale ?? 1;
  const names = config.series ?? [...new Set(rows.map((r) => r.series))];
  const single = names.length <= 1;
  const color = single
    ? { value: p.accent }
    : { field: 'series', type: 'nominal' as const, title: null, sort: names, scale: { domain: [...names] } };
  const periodTitle = config.lang === 'zh' ? '月份' : 'Month';
  const first = rows.filter((r) => r.value !== null).map((r) => r.period).sort()[0];
  const values = first === undefined ? [] : rows.filter((r) => r.period >= first).map((r) => ({ ...r }));
  const encoding = {
    x: {
      field: 'period',
      type: 'ordinal',
      title: null,
      sort: 'ascending',
      axis: { labelExpr: periodExpr(config.lang), labelAngle: 0, labelOverlap: true },
    },
    y: {
      field: 'value',
      type: 'quantitative',
      title: null,
      // A trend is about change: a zero baseline would flatten a 2% move in 2 million subscriptions.
      scale: { zero: false },
      axis: { labelExpr: valueExpr(config.kind, config.lang), tickCount: 4, ...valueAxis(config.kind) },
    },
    color,
  };
  const target = config.target ?? null;
  return {
    ...frame(config, 200),
    ...(config.title ? { title: config.title } : {}),
    data: { values },
    transform: [
      { calculate: valueExpr(config.kind, config.lang), as: 'label' },
      { calculate: periodExpr(config.lang, 'datum.period', false), as: 'month' },
    ],
    layer: [
      // Under the figures: the target, when there is one (its own data; the y scale is shared, so
      // the line is on the figures' axis and widens it to take the target in).
      ...(target
        ? [
            {
              data: { values: [{ target: target.value, label: target.label }] },
              mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 * scale, color: p.muted },
              encoding: { y: { ...encoding.y, field: 'target' } },
            },
            {
              data: { values: [{ target: target.value, label: target.label }] },
              mark: { type: 'text', align: 'left', baseline: 'bottom', x: 4, dy: -3, fontSize: 11 * scale, color: p.muted },
              encoding: { y: { ...encoding.y, field: 'target' }, text: { field: 'label' } },
            },
          ]
        : []),
      { mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 * scale, invalid: 'break-paths-show-domains' }, encoding },
      {
        transform: [{ filter: 'isValid(datum.value)' }],
        mark: { type: 'point', filled: true, size: 36 * scale },
        encoding: {
          ...encoding,
          tooltip: [
            { field: 'month', type: 'nominal', title: periodTitle },
            ...(single ? [] : [{ field: 'series', type: 'nominal' as const, title: config.lang === 'zh' ? '指标' : 'Series' }]),
            { field: 'label', type: 'nominal', title: config.title ?? (config.lang === 'zh' ? '数值' : 'Value') },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
