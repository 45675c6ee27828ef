// vega-lite spec → SVG string in Node, without a canvas or a browser: the briefings draw the same
// specs as the dashboard (charts/), and svg-to-pdfkit turns the SVG into vector PDF paths and text.
// Without a canvas vega would guess text widths (0.8 em a character, far too narrow for Chinese),
// so axis labels would collide; it is given the embedded font's real metrics instead.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { textWidth } from './fonts.ts';

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

function fontWidth(item: TextItem, text: unknown): number {
  const s = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  if (!s || size <= 0) return 0;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
  const w = textWidth(s, size, bold ? 'bold' : 'regular');
  // vega truncates labels longer than `limit` with an ellipsis; the drawn text is then at most that wide.
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
}

let installed = false;

/** vega reads text widths through one mutable object (vl-convert replaces it the same way). */
function installMetrics(): void {
  if (installed) return;
  (vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = fontWidth;
  installed = true;
}

export interface PrintOptions {
  /** Points kept free right of the plot, for value labels at the end of the longest bar. */
  labelRoom?: number;
}

/**
 * Settings for paper rather than screen: a little more room between axis labels, and room for bar
 * labels that a screen would let overflow into the panel's margin but a page would cut.
 */
function forPrint(spec: TopLevelSpec, o: PrintOptions): TopLevelSpec {
  const config = (spec as { config?: Record<string, unknown> }).config ?? {};
  const axis = (config.axis as Record<string, unknown> | undefined) ?? {};
  const pad = typeof config.padding === 'number' ? config.padding : 4;
  const padding = o.labelRoom ? { padding: { top: pad, bottom: pad, left: pad, right: pad + o.labelRoom } } : {};
  return { ...spec, ...padding, config: { ...config, axis: { labelSeparation: 6, ...axis } } } as TopLevelSpec;
}

export async function renderChartSvg(spec: TopLevelSpec, o: PrintOptions = {}): Promise<string> {
  installMetrics();
  const view = new vega.View(vega.parse(compile(forPrint(spec, o)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
