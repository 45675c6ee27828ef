// vega + vega-lite + vega-embed are most of the dashboard's JavaScript; they load on first use,
// after the tiles are on screen, and are shared by every chart afterwards.
import type { Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';

type Embed = (el: HTMLElement, spec: TopLevelSpec, opts?: Record<string, unknown>) => Promise<Result>;

let loading: Promise<Embed> | null = null;

export function loadEmbed(): Promise<Embed> {
  loading ??= import('vega-embed').then((m) => m.default as unknown as Embed);
  return loading;
}

interface VgSignal {
  name?: string;
  on?: { events?: unknown }[];
}

/**
 * vega-lite compiles a `"container"` width or height into a signal that re-reads the container's size
 * on window resizes only, so a chart whose panel changed size without the window (a grid reflow, a
 * full-page capture, a panel opening) kept its old width, squeezed or overflowing. Vega itself can
 * observe the container (the `container:resize` event source, a ResizeObserver on the element it
 * renders into): this patch, passed to vega-embed, makes those signals listen to both.
 */
export function refitOnContainerResize<T extends { signals?: VgSignal[] }>(spec: T): T {
  for (const signal of spec.signals ?? []) {
    for (const handler of signal.on ?? []) {
      if (handler.events === 'window:resize') handler.events = 'window:resize, container:resize';
    }
  }
  return spec;
}
