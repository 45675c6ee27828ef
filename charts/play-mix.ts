// Play mix: how many customers hold 1, 2, 3 or 4 distinct services, as shares of each month's
// customers (stacked to 100%), so the shift towards convergence is visible month by month.
import type { TopLevelSpec } from 'vega-lite';
import { periodExpr, valueExpr } from './format.ts';
import { frame, palette, type ChartBase } from './theme.ts';

export interface PlayMixRow {
  period: string;
  /** 1..4 distinct active services */
  plays: number;
  customers: number | null;
}

export function playLabel(plays: number, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `${plays}产品` : `${plays}-play`;
}

export function buildPlayMixSpec(config: ChartBase, rows: readonly PlayMixRow[]): TopLevelSpec {
  const p = palette(config);
  const names = [1, 2, 3, 4].map((n) => playLabel(n, config.lang));
  return {
    ...frame(config, 200),
    data: { values: rows.map((r) => ({ ...r, play: playLabel(r.plays, config.lang) })) },
    transform: [
      { filter: 'isValid(datum.customers)' },
      { joinaggregate: [{ op: 'sum', field: 'customers', as: 'total' }], groupby: ['period'] },
      { calculate: 'datum.total > 0 ? datum.customers / datum.total : null', as: 'share' },
      { calculate: valueExpr('ratio', config.lang, 'datum.share'), as: 'shareLabel' },
      { calculate: valueExpr('count', config.lang, 'datum.customers'), as: 'customersLabel' },
      { calculate: periodExpr(config.lang, 'datum.period', false), as: 'month' },
    ],
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'period',
        type: 'ordinal',
        title: null,
        axis: { labelExpr: periodExpr(config.lang), labelAngle: 0, labelOverlap: true },
      },
      y: {
        field: 'share',
        type: 'quantitative',
        stack: 'zero',
        title: null,
        scale: { domain: [0, 1] },
        axis: { format: '.0%', tickCount: 5 },
      },
      color: {
        field: 'play',
        type: 'ordinal',
        title: null,
        sort: names,
        scale: { domain: names, range: [...p.sequential] },
      },
      order: { field: 'plays', type: 'quantitative', sort: 'descending' },
      tooltip: [
        { field: 'month', type: 'nominal', title: config.lang === 'zh' ? '月份' : 'Month' },
        { field: 'play', type: 'nominal', title: config.lang === 'zh' ? '产品数' : 'Services' },
        { field: 'customersLabel', type: 'nominal', title: config.lang === 'zh' ? '客户数' : 'Customers' },
        { field: 'shareLabel', type: 'nominal', title: config.lang === 'zh' ? '占比' : 'Share' },
      ],
    },
  } as TopLevelSpec;
}
