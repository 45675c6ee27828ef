// The SQL console's quick chart: the analyst picks a column for x and a numeric column for y (and
// optionally one to colour by); the mark follows the x column's type unless chosen.
import type { TopLevelSpec } from 'vega-lite';
import { frame, palette, type ChartBase } from './theme.ts';

export type QuickMark = 'bar' | 'line' | 'point';
export type FieldType = 'quantitative' | 'temporal' | 'nominal' | 'ordinal';

export interface QuickChartConfig extends ChartBase {
  x: string;
  y: string;
  xType: FieldType;
  color?: string | null;
  mark?: QuickMark;
  /** Bars past this count are dropped: a chart of 100,000 categories says nothing. */
  maxBars?: number;
}

/** The mark a column type suggests: time and numbers as lines/points, categories as bars. */
export function defaultMark(xType: FieldType): QuickMark {
  return xType === 'temporal' ? 'line' : xType === 'quantitative' ? 'point' : 'bar';
}

export function buildQuickChartSpec(config: QuickChartConfig, rows: readonly Record<string, unknown>[]): TopLevelSpec {
  const p = palette(config);
  const mark = config.mark ?? defaultMark(config.xType);
  const limit = mark === 'bar' ? (config.maxBars ?? 200) : 50_000;
  const color = config.color ? { color: { field: config.color, type: 'nominal' as const } } : {};
  return {
    ...frame(config, 280),
    data: { values: rows.slice(0, limit).map((r) => ({ ...r })) },
    mark: { type: mark, tooltip: true, ...(config.color ? {} : { color: p.accent }), ...(mark === 'line' ? { point: rows.length <= 60 } : {}) },
    encoding: {
      x: {
        field: config.x,
        type: config.xType,
        ...(config.xType === 'nominal' || config.xType === 'ordinal' ? { sort: mark === 'bar' ? '-y' : 'ascending', axis: { labelLimit: 120, labelAngle: -40 } } : {}),
      },
      y: { field: config.y, type: 'quantitative' },
      ...color,
    },
  } as TopLevelSpec;
}
