// Cities side by side on one KPI: horizontal bars sorted by value, the selected city highlighted,
// the province figure as a reference rule. A click on a bar drills down to that city: the spec says
// which datum field names the city (usermeta.drillField) so the component needs no knowledge of it.
import type { TopLevelSpec } from 'vega-lite';
import { valueExpr } from './format.ts';
import { kpiLabel, kpiMeta } from './labels.ts';
import { barValueField, frame, palette, type ChartBase } from './theme.ts';

export interface CityComparisonConfig extends ChartBase {
  /** The KPI key the bars show. */
  metric: string;
  /** Highlighted region_code, if any. */
  selected?: string | null;
  /** The province (ALL) value, drawn as a dashed reference line. */
  reference?: number | null;
  order?: 'desc' | 'asc';
}

export interface CityValue {
  region_code: string;
  name: string;
  value: number | null;
}

export function buildCityComparisonSpec(config: CityComparisonConfig, rows: readonly CityValue[]): TopLevelSpec {
  const p = palette(config);
  const kind = kpiMeta(config.metric).kind;
  const scale = config.scale ?? 1;
  const values = rows.map((r) => ({ ...r, selected: r.region_code === config.selected }));
  const x = barValueField(kind, config.lang, !rows.some((r) => r.value !== null && r.value !== 0));
  const y = {
    field: 'name',
    type: 'nominal' as const,
    title: null,
    // Sorting by the x channel (not by field) keeps the bar and label layers' domains identical.
    sort: config.order === 'asc' ? ('x' as const) : ('-x' as const),
    axis: { labelFontSize: 12 * scale, labelColor: p.text, domain: false, ticks: false },
  };
  const spec = {
    ...frame(config, Math.max(180, rows.length * 26 * scale)),
    usermeta: { drillField: 'region_code', metric: config.metric },
    data: { values },
    transform: [
      { calculate: valueExpr(kind, config.lang), as: 'label' },
      // What a screen reader says for a bar (vega's default reads out the raw fields).
      { calculate: "datum.name + ': ' + datum.label", as: 'description' },
    ],
    layer: [
      {
        mark: { type: 'bar', cursor: 'pointer', tooltip: true },
        encoding: {
          x,
          y,
          color: { condition: { test: 'datum.selected', value: p.accent }, value: p.accentSoft },
          description: { field: 'description' },
          tooltip: [
            { field: 'name', type: 'nominal', title: config.lang === 'zh' ? '地市' : 'City' },
            { field: 'label', type: 'nominal', title: kpiLabel(config.metric, config.lang) },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 * scale, color: p.text, fontSize: 11 * scale, aria: false },
        encoding: { x: { field: 'value', type: 'quantitative', stack: null }, y, text: { field: 'label' } },
      },
      ...(config.reference != null
        ? [
            {
              data: { values: [{ reference: config.reference }] },
              mark: { type: 'rule', strokeDash: [4, 4], color: p.muted, strokeWidth: scale },
              encoding: { x: { field: 'reference', type: 'quantitative' } },
            },
          ]
        : []),
    ],
  };
  return spec as TopLevelSpec;
}
