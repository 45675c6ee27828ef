// Exclusive against shared social outlets, side by side: gross adds per outlet and commission per add,
// the operator's question "does exclusivity rest on a commission advantage?" (排他是否依赖酬金优势).
// The two measures have different units, so each pair of bars is drawn against the larger of its two
// values (the bars of a pair compare; the pairs do not share a scale, and no value axis pretends they
// do) and every bar is labelled with its figure as the tiles write it. The names are the catalogue's.
import type { TopLevelSpec } from 'vega-lite';
import { formatValue } from './format.ts';
import { kpiLabel, kpiMeta } from './labels.ts';
import { barLabelLayers, frame, palette, type ChartBase } from './theme.ts';

/** [exclusive, shared] per measure, in the order the chart draws them. */
export const EXCLUSIVE_SHARED_PAIRS = [
  ['adds_per_outlet_exclusive', 'adds_per_outlet_shared'],
  ['commission_per_add_exclusive', 'commission_per_add_shared'],
] as const;

export const EXCLUSIVE_SHARED_KEYS: readonly string[] = EXCLUSIVE_SHARED_PAIRS.flat();

/** How far right the longest bar of a pair reaches, leaving room for its label. */
const LABEL_ROOM = 1.35;

export function buildExclusiveSharedSpec(config: ChartBase, kpis: Readonly<Record<string, number | null | undefined>>): TopLevelSpec {
  const p = palette(config);
  const scale = config.scale ?? 1;
  const values = EXCLUSIVE_SHARED_PAIRS.flatMap((pair) => {
    const figures = pair.map((key) => kpis[key] ?? null);
    const top = Math.max(0, ...figures.map((v) => (v === null ? 0 : Math.abs(v))));
    return pair.map((key, i) => {
      const value = figures[i]!;
      return {
        key,
        name: kpiLabel(key, config.lang),
        value,
        // A pair of zeros (no adds, no commission) draws no bars rather than dividing by zero.
        share: value === null ? null : top === 0 ? 0 : Math.abs(value) / top,
        label: formatValue(value, kpiMeta(key).kind, config.lang),
        exclusive: i === 0,
      };
    });
  });
  const y = {
    field: 'name',
    type: 'nominal' as const,
    title: null,
    sort: values.map((v) => v.name),
    axis: { labelColor: p.text, labelFontSize: 12 * scale, domain: false, ticks: false, labelLimit: 220 * scale },
  };
  const x = { field: 'share', type: 'quantitative' as const, stack: null, title: null, axis: null, scale: { domain: [0, LABEL_ROOM] } };
  return {
    ...frame(config, Math.max(120, values.length * 30 * scale)),
    data: { values },
    transform: [{ calculate: "datum.name + ': ' + datum.label", as: 'description' }],
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x,
          y,
          color: { condition: { test: 'datum.exclusive', value: p.accent }, value: p.accentSoft },
          description: { field: 'description' },
          tooltip: [{ field: 'description', type: 'nominal', title: ' ' }],
        },
      },
      ...barLabelLayers(config, y, { field: 'share' }),
    ],
  } as TopLevelSpec;
}
