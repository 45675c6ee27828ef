// The 12-month sparkline of a headline tile, two ways: an SVG path computed here (the board draws it
// before any chart library has loaded, inside the first-render budget) and a vega-lite spec for the
// briefings, which render every chart through vega. Both take the same points, oldest first.
import type { TopLevelSpec } from 'vega-lite';
import { frame, palette, type ChartBase } from './theme.ts';

export interface SparkPoint {
  period: string;
  value: number | null;
}

export interface SparkGeometry {
  /** The SVG path ("M x y L x y …"), with a gap where a value is missing. */
  d: string;
  /** The last point, for a dot at the end. */
  last: { x: number; y: number } | null;
}

export function sparklinePath(values: readonly (number | null)[], width: number, height: number, pad = 2): SparkGeometry {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return { d: '', last: null };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  let d = '';
  let pen = false;
  let last: SparkGeometry['last'] = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = pad + i * step;
    // A flat series sits in the middle rather than on the floor.
    const y = max === min ? height / 2 : pad + (1 - (v - min) / span) * (height - 2 * pad);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
    last = { x, y };
  });
  return { d, last };
}

export function buildSparklineSpec(config: ChartBase, points: readonly SparkPoint[]): TopLevelSpec {
  const p = palette(config);
  const base = frame({ ...config, width: config.width ?? 120 }, 32);
  return {
    ...base,
    config: { ...base.config, axis: { ...base.config.axis, disable: true } },
    data: { values: points.map((pt) => ({ ...pt })) },
    transform: [{ filter: 'isValid(datum.value)' }],
    encoding: {
      x: { field: 'period', type: 'ordinal', axis: null },
      y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false } },
    },
    layer: [
      { mark: { type: 'line', color: p.accent, strokeWidth: 1.5 * (config.scale ?? 1), interpolate: 'monotone' } },
      {
        transform: [{ window: [{ op: 'row_number', as: 'n' }] }, { joinaggregate: [{ op: 'max', field: 'n', as: 'last' }] }, { filter: 'datum.n == datum.last' }],
        mark: { type: 'point', filled: true, color: p.accent, size: 20 * (config.scale ?? 1) },
      },
    ],
  } as TopLevelSpec;
}
