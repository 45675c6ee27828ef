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
