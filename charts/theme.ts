// The look every chart shares: light for the board and the printed briefing, dark for the wall
// screen, with a scale factor so the wall's type reads from across a room. Pure data.
import type { Config } from 'vega-lite';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { type Lang, valueExpr } from './format.ts';

export type Theme = 'light' | 'dark';

/** What every builder accepts besides its own options. */
export interface ChartBase {
  lang: Lang;
  theme?: Theme;
  /** Pixels, or 'container' to fill the element the dashboard embeds into (not for Node rendering). */
  width?: number | 'container';
  /** Pixels, or 'container' to fill the height of the element the dashboard embeds into (the wall). */
  height?: number | 'container';
  /** Multiplies font sizes and strokes: 1 on the board, about 1.8 on a 1920×1080 wall. */
  scale?: number;
}

export const FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

export const PALETTE = {
  light: {
    text: '#1f2937',
    muted: '#6b7280',
    grid: '#e5e7eb',
    accent: '#1d4ed8',
    accentSoft: '#93c5fd',
    warn: '#dc2626',
    good: '#059669',
    category: ['#1d4ed8', '#f59e0b', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777'],
    /** Ordered steps (1- to 4-play): light to dark, readable in print too. */
    sequential: ['#c7d7f5', '#7aa2e8', '#2f62d0', '#17337a'],
  },
  dark: {
    text: '#e6edf7',
    muted: '#94a3b8',
    grid: '#1e2d44',
    accent: '#38bdf8',
    accentSoft: '#1e5f86',
    warn: '#f87171',
    good: '#34d399',
    category: ['#38bdf8', '#fbbf24', '#34d399', '#f87171', '#a78bfa', '#22d3ee', '#f472b6'],
    sequential: ['#1f3b63', '#2f6fb3', '#38bdf8', '#b3ecff'],
  },
} as const;

export function palette(base: ChartBase) {
  return PALETTE[base.theme ?? 'light'];
}

export function chartConfig(base: ChartBase): Config {
  const p = palette(base);
  const s = base.scale ?? 1;
  return {
    background: 'transparent',
    font: FONT,
    view: { stroke: null },
    padding: 4 * s,
    axis: {
      labelColor: p.muted,
      titleColor: p.muted,
      domainColor: p.grid,
      gridColor: p.grid,
      tickColor: p.grid,
      labelFontSize: 11 * s,
      titleFontSize: 11 * s,
      titleFontWeight: 'normal',
      labelFont: FONT,
      titleFont: FONT,
    },
    legend: {
      labelColor: p.text,
      titleColor: p.muted,
      labelFontSize: 11 * s,
      titleFontSize: 11 * s,
      symbolSize: 80 * s,
      labelFont: FONT,
      titleFont: FONT,
      orient: 'bottom',
      direction: 'horizontal',
    },
    title: { color: p.text, fontSize: 13 * s, font: FONT, anchor: 'start', fontWeight: 'normal' },
    text: { color: p.text, fontSize: 11 * s, font: FONT },
    range: { category: [...p.category] },
    line: { strokeWidth: 2 * s },
    point: { size: 30 * s },
    bar: { cornerRadiusEnd: 2 },
  };
}

/** Axis settings for a value axis: counts never get fractional ticks (which would print 1, 1, 2, 2). */
export function valueAxis(kind: string): { tickMinStep?: number } {
  return kind === 'count' ? { tickMinStep: 1 } : {};
}

/**
 * The value field of a horizontal bar chart: formatted ticks, and room to draw when every value is
 * zero (a quiet month), where vega would otherwise draw an empty [0, 0] axis.
 */
export function barValueField(kind: KpiUnit, lang: Lang, allZero: boolean) {
  return {
    field: 'value',
    type: 'quantitative' as const,
    stack: null,
    title: null,
    ...(allZero ? { scale: { domain: [0, 1] } } : {}),
    axis: { labelExpr: valueExpr(kind, lang), tickCount: 4, ...valueAxis(kind) },
  };
}

/** The top-level fields every spec carries. */
export function frame(base: ChartBase, defaultHeight: number) {
  const width = base.width ?? 'container';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(base),
    width,
    height: base.height ?? defaultHeight,
    autosize: { type: 'fit' as const, contains: 'padding' as const },
  };
}

/**
 * The text layers of a horizontal bar chart whose spec calculates `label` and `description`: each
 * bar's label at its end, and for a row without a bar (a null value: "—", or "not reported") its
 * label at the axis, as a mark a screen reader reads and a click reaches like a bar.
 */
export function barLabelLayers(base: ChartBase, y: object, options: { field?: string; warn?: string; cursor?: 'pointer' } = {}) {
  const p = palette(base);
  const scale = base.scale ?? 1;
  const field = options.field ?? 'value';
  const mark = { type: 'text' as const, align: 'left' as const, dx: 4 * scale, fontSize: 11 * scale };
  return [
    {
      transform: [{ filter: `isValid(datum.${field})` }],
      mark: { ...mark, color: p.text, aria: false },
      encoding: { x: { field, type: 'quantitative' as const, stack: null, title: null }, y, text: { field: 'label' } },
    },
    {
      transform: [{ filter: `!isValid(datum.${field})` }],
      mark: { ...mark, ...(options.cursor ? { cursor: options.cursor } : {}) },
      encoding: {
        x: { datum: 0, type: 'quantitative' as const },
        y,
        text: { field: 'label' },
        description: { field: 'description' },
        color: options.warn ? { condition: { test: options.warn, value: p.warn }, value: p.muted } : { value: p.muted },
      },
    },
  ];
}
