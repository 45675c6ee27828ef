import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { buildTrendSpec } from '../../charts/trend.ts';
import { refitOnContainerResize } from './vega.ts';

describe('refitOnContainerResize', () => {
  it('makes the size signals of a "container" chart listen to its container as well as the window', () => {
    const spec = buildTrendSpec({ lang: 'zh', kind: 'ratio', height: 'container' }, [{ period: '2026-09', series: '全省', value: 0.4 }]);
    const vg = compile(spec).spec as { signals?: { name?: string; on?: { events?: unknown }[] }[] };
    const events = (name: string) => vg.signals?.find((s) => s.name === name)?.on?.map((h) => h.events);
    expect(events('width')).toEqual(['window:resize']);
    refitOnContainerResize(vg);
    expect(events('width')).toEqual(['window:resize, container:resize']);
    expect(events('height')).toEqual(['window:resize, container:resize']);
  });
});
