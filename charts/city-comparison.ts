// Cities side by side on one KPI: horizontal bars in rank order (domain/ranking.ts: rank 1 = the best
// city by the KPI's direction, ties share a rank, cities without a figure last and unranked), the rank
// before each city's name, the selected city highlighted, the province figure as a reference rule. A
// city whose extract has not arrived reads "not reported" where its bar would be, never 0. A click on
// a bar drills down to that city: the spec says which datum field names the city
// (usermeta.drillField) so the component needs no knowledge of it.
import type { TopLevelSpec } from 'vega-lite';
import { rankByDirection } from '../domain/ranking.ts';
import { NOT_REPORTED, valueExpr } from './format.ts';
import { bestFirst, kpiLabel, kpiMeta } from './labels.ts';
import { barLabelLayers, barValueField, frame, palette, type ChartBase } from './theme.ts';

export interface CityComparisonConfig extends ChartBase {
  /** The KPI key the bars show. */
  metric: string;
  /** Highlighted region_code, if any. */
  selected?: string | null;
  /** The province (ALL) value, drawn as a dashed reference line. */
  reference?: number | null;
  /** By value; the default (bestFirst) puts rank 1 on top, the other way the worst ranked city. */
  order?: 'desc' | 'asc';
}

export interface CityValue {
  region_code: string;
  name: string;
  value: number | null;
  /** The value is null because the city's extract for it has not arrived (domain/missing.ts). */
  notReported?: boolean;
}

export interface RankedCity extends CityValue {
  /** 1 = the best city; null without a figure, or for a KPI that is not ranked. */
  rank: number | null;
}

/**
 * The cities in the order a comparison of `metric` shows them, each with its rank by
 * rankByDirection. `order` against the KPI's best-first order turns the ranked cities upside down
 * (worst first); cities without a figure stay last either way. A KPI whose direction is `none` has no
 * ranks and is ordered by value.
 */
export function rankCities(metric: string, rows: readonly CityValue[], order: 'asc' | 'desc' = bestFirst(metric)): RankedCity[] {
  const { direction } = kpiMeta(metric);
  const ranked = rankByDirection(rows, (r) => r.value, direction).map(({ item, rank }) => ({ ...item, rank }));
  const withValue = ranked.filter((r) => r.value !== null);
  const without = ranked.filter((r) => r.value === null);
  if (direction === 'none') {
    const sign = order === 'asc' ? 1 : -1;
    return [...withValue.sort((a, b) => sign * (a.value! - b.value!)), ...without];
  }
  return order === bestFirst(metric) ? ranked : [...withValue.reverse(), ...without];
}

/** "3. 温州市": the rank before the name, as the chart's axis and the table show it. */
export function rankedName(city: Pick<RankedCity, 'name' | 'rank'>): string {
  return city.rank === null ? city.name : `${city.rank}. ${city.name}`;
}

export function buildCityComparisonSpec(config: CityComparisonConfig, rows: readonly CityValue[]): TopLevelSpec {
  const p = palette(config);
  const kind = kpiMeta(config.metric).kind;
  const scale = config.scale ?? 1;
  const cities = rankCities(config.metric, rows, config.order);
  const values = cities.map((r) => ({
    region_code: r.region_code,
    name: r.name,
    value: r.value,
    city: rankedName(r),
    notReported: r.notReported === true && r.value === null,
    selected: r.region_code === config.selected,
  }));
  const x = barValueField(kind, config.lang, !rows.some((r) => r.value !== null && r.value !== 0));
  const y = {
    field: 'city',
    type: 'nominal' as const,
    title: null,
    // The rank order, explicitly: the bar and label layers share it, and cities without a bar keep their place last.
    sort: values.map((v) => v.city),
    axis: { labelFontSize: 12 * scale, labelColor: p.text, domain: false, ticks: false },
  };
  const spec = {
    ...frame(config, Math.max(180, rows.length * 26 * scale)),
    usermeta: { drillField: 'region_code', metric: config.metric },
    data: { values },
    transform: [
      { calculate: `datum.notReported ? '${NOT_REPORTED[config.lang]}' : ${valueExpr(kind, config.lang)}`, as: 'label' },
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
      ...barLabelLayers(config, y, { warn: 'datum.notReported', cursor: 'pointer' }),
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
