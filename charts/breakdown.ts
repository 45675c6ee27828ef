// One figure split by an enumeration — channel types, complaint categories, complaint sources — as
// horizontal bars in the contracts' order, labelled at the bar end. Escalated complaint sources
// (越级投诉) are drawn in the warning colour because branches are judged on driving them to zero.
import type { TopLevelSpec } from 'vega-lite';
import { ESCALATED_SOURCES } from '../domain/contracts.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { valueExpr } from './format.ts';
import { enumCodes, enumLabel, kpiLabel, type Dimension } from './labels.ts';
import { barLabelLayers, barValueField, frame, palette, type ChartBase } from './theme.ts';

export interface BreakdownConfig extends ChartBase {
  dimension: Dimension;
  kind: KpiUnit;
  /** Tooltip title of the value. */
  valueTitle: string;
  /** Codes drawn in the warning colour. */
  warn?: readonly string[];
  /** Sort bars by value instead of the contracts' order. */
  sortByValue?: boolean;
}

export interface BreakdownRow {
  code: string;
  value: number | null;
}

export function buildBreakdownSpec(config: BreakdownConfig, rows: readonly BreakdownRow[]): TopLevelSpec {
  const p = palette(config);
  const scale = config.scale ?? 1;
  const order = enumCodes(config.dimension);
  const values = rows
    .filter((r) => r.value !== null)
    .map((r) => ({
      code: r.code,
      value: r.value,
      name: enumLabel(config.dimension, r.code, config.lang),
      warn: config.warn?.includes(r.code) ?? false,
    }));
  const names = order.map((code) => enumLabel(config.dimension, code, config.lang));
  const y = {
    field: 'name',
    type: 'nominal' as const,
    title: null,
    // An explicit order either way, so the bar and label layers share one domain.
    sort: config.sortByValue ? [...values].sort((a, b) => b.value! - a.value!).map((v) => v.name) : names,
    axis: { labelColor: p.text, labelFontSize: 12 * scale, domain: false, ticks: false, labelLimit: 200 * scale },
  };
  const x = barValueField(config.kind, config.lang, !values.some((r) => r.value !== 0));
  return {
    ...frame(config, Math.max(120, values.length * 28 * scale)),
    data: { values },
    transform: [
      { calculate: valueExpr(config.kind, config.lang), as: 'label' },
      { calculate: "datum.name + ': ' + datum.label", as: 'description' },
    ],
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x,
          y,
          color: { condition: { test: 'datum.warn', value: p.warn }, value: p.accent },
          description: { field: 'description' },
          tooltip: [
            { field: 'name', type: 'nominal', title: ' ' },
            { field: 'label', type: 'nominal', title: config.valueTitle },
          ],
        },
      },
      ...barLabelLayers(config, y),
    ],
  } as TopLevelSpec;
}

export function buildComplaintCategoriesSpec(config: ChartBase, rows: readonly BreakdownRow[]): TopLevelSpec {
  const valueTitle = kpiLabel('complaints', config.lang);
  return buildBreakdownSpec({ ...config, dimension: 'category', kind: 'count', valueTitle, sortByValue: true }, rows);
}

export function buildComplaintSourcesSpec(config: ChartBase, rows: readonly BreakdownRow[]): TopLevelSpec {
  const valueTitle = kpiLabel('complaints', config.lang);
  return buildBreakdownSpec({ ...config, dimension: 'source', kind: 'count', valueTitle, warn: ESCALATED_SOURCES }, rows);
}

/** Gross adds by who sold them. */
export function buildChannelMixSpec(config: ChartBase, rows: readonly BreakdownRow[]): TopLevelSpec {
  const valueTitle = kpiLabel('gross_adds', config.lang);
  return buildBreakdownSpec({ ...config, dimension: 'channel_type', kind: 'count', valueTitle }, rows);
}

/** Adds per open outlet: types without outlets (online, hotline, account managers) have no value. */
export function buildChannelProductivitySpec(config: ChartBase, rows: readonly BreakdownRow[]): TopLevelSpec {
  const valueTitle = config.lang === 'zh' ? '店均新增' : 'Adds per outlet';
  return buildBreakdownSpec({ ...config, dimension: 'channel_type', kind: 'average', valueTitle }, rows);
}
