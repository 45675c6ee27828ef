import { describe, expect, it } from 'vitest';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  buildChannelMixSpec,
  buildChannelProductivitySpec,
  buildComplaintCategoriesSpec,
  buildComplaintSourcesSpec,
} from './breakdown.ts';
import { buildCityComparisonSpec, rankCities, rankedName } from './city-comparison.ts';
import { buildExclusiveSharedSpec, EXCLUSIVE_SHARED_KEYS } from './exclusive-shared.ts';
import { buildPlayMixSpec } from './play-mix.ts';
import { buildQuickChartSpec, defaultMark } from './quick-chart.ts';
import { buildSparklineSpec, sparklinePath } from './sparkline.ts';
import { buildTrendSpec } from './trend.ts';
import { DEFAULT_REGIONS, enumCodes, kpiLabel, kpiMeta } from './labels.ts';
import { formatValue, NOT_REPORTED, type Lang } from './format.ts';

/** Compiles with vega-lite and renders to SVG with vega in Node, as the briefings will. */
async function render(spec: TopLevelSpec): Promise<string> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...m: unknown[]) => (warnings.push(m.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
    error: (...m: unknown[]) => {
      throw new Error(m.join(' '));
    },
  };
  const { spec: vgSpec } = compile(spec, { logger: logger as never });
  expect(warnings).toEqual([]);
  const view = new View(parse(vgSpec), { renderer: 'none' });
  return view.toSVG();
}

const periods = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'];
const cities = DEFAULT_REGIONS.map((r, i) => ({ region_code: r.code, name: r.nameZh, value: 0.3 + i / 100 }));

describe('buildCityComparisonSpec', () => {
  it('compiles with the 11 cities, the selection highlighted and drill-down metadata', async () => {
    const spec = buildCityComparisonSpec(
      { lang: 'zh', metric: 'convergence_rate', selected: '330300', reference: 0.35, width: 480 },
      cities,
    );
    expect(spec.usermeta).toEqual({ drillField: 'region_code', metric: 'convergence_rate' });
    const svg = await render(spec);
    expect(svg).toContain('温州市');
    expect(svg).toContain('40.0%');
    // A bar reads as "city: formatted value" to a screen reader (and to the browser tests).
    expect(svg).toContain('aria-label="温州市: 32.0%"');
  });

  it('gives an all-zero month an axis with room', async () => {
    const spec = buildCityComparisonSpec({ lang: 'zh', metric: 'escalated_complaints', width: 400 }, cities.map((c) => ({ ...c, value: 0 })));
    expect(JSON.stringify(spec)).toContain('"domain":[0,1]');
    await render(spec);
  });

  it('ranks the cities by the KPI’s direction: the lowest churn is rank 1 and on top', async () => {
    const rows = [
      { region_code: '330100', name: '杭州市', value: 0.03 },
      { region_code: '330200', name: '宁波市', value: null },
      { region_code: '330300', name: '温州市', value: 0.01 },
      { region_code: '330400', name: '嘉兴市', value: 0.02 },
      { region_code: '330500', name: '湖州市', value: 0.02 },
    ];
    const ranked = rankCities('churn_rate', rows);
    expect(ranked.map((r) => `${r.rank ?? '-'} ${r.region_code}`)).toEqual(['1 330300', '2 330400', '2 330500', '4 330100', '- 330200']);
    // The other way round: worst first, the city without a figure still last and the ranks unchanged.
    expect(rankCities('churn_rate', rows, 'desc').map((r) => `${r.rank ?? '-'} ${r.region_code}`)).toEqual(['4 330100', '2 330500', '2 330400', '1 330300', '- 330200']);
    // Higher is better for convergence: the highest first.
    expect(rankCities('convergence_rate', rows).map((r) => r.region_code)).toEqual(['330100', '330400', '330500', '330300', '330200']);
    // A KPI with no better direction is ordered by value but not ranked.
    expect(rankCities('customers_2_play', rows).map((r) => `${r.rank ?? '-'} ${r.region_code}`)).toEqual(['- 330100', '- 330400', '- 330500', '- 330300', '- 330200']);
    expect(rankedName(ranked[0]!)).toBe('1. 温州市');
    expect(rankedName(ranked[4]!)).toBe('宁波市');

    const svg = await render(buildCityComparisonSpec({ lang: 'zh', metric: 'churn_rate', width: 480 }, rows));
    const order = [...svg.matchAll(/>(\d\. [^<]+|宁波市)</g)].map((m) => m[1]);
    expect(order).toEqual(['1. 温州市', '2. 嘉兴市', '2. 湖州市', '4. 杭州市', '宁波市']);
  });

  it('says "not reported" for a city whose extract has not arrived, never 0, and leaves it unranked', async () => {
    for (const lang of ['zh', 'en'] as Lang[]) {
      const rows = [
        { region_code: '330100', name: 'A', value: 12.5 },
        { region_code: '330300', name: 'W', value: null, notReported: true },
        { region_code: '330400', name: 'J', value: null },
      ];
      const svg = await render(buildCityComparisonSpec({ lang, metric: 'complaints_per_10k', width: 480 }, rows));
      expect(svg).toContain(`aria-label="W: ${NOT_REPORTED[lang]}"`);
      // A null that is merely undefined keeps its dash.
      expect(svg).toContain('aria-label="J: —"');
      expect(svg).not.toContain('W: 0');
      expect(svg).toContain('>1. A<');
      expect(svg).toContain('>W<');
    }
  });

  it('keeps a city whose value is null out of the bars but compiles', async () => {
    const svg = await render(
      buildCityComparisonSpec({ lang: 'en', theme: 'dark', scale: 1.8, metric: 'revenue', width: 800 }, [
        { region_code: '330100', name: 'Hangzhou', value: 123_456_789 },
        { region_code: '330200', name: 'Ningbo', value: null },
      ]),
    );
    expect(svg).toContain('¥123M');
  });
});

describe('buildTrendSpec', () => {
  for (const lang of ['zh', 'en'] as Lang[]) {
    it(`draws two series over 12 months in ${lang}`, async () => {
      const rows = periods.flatMap((period, i) => [
        { period, series: kpiLabel('churn_rate_converged', lang), value: 0.01 + i / 1000 },
        { period, series: kpiLabel('churn_rate_standalone', lang), value: i === 3 ? null : 0.03 },
      ]);
      const svg = await render(buildTrendSpec({ lang, kind: 'ratio', width: 600 }, rows));
      expect(svg).toContain(kpiLabel('churn_rate_converged', lang));
      expect(svg).toContain(lang === 'zh' ? '2026年1月' : 'Jan 2026');
    });
  }
});

describe('a trend with a target', () => {
  it('draws the target as a dashed, labelled line on the figures’ axis, which widens to take it in', async () => {
    // Figures between 0.30 and 0.41; the target 0.50 lies above all of them.
    const rows = periods.map((period, i) => ({ period, series: '温州市', value: 0.3 + i / 100 }));
    const without = await render(buildTrendSpec({ lang: 'zh', kind: 'ratio', width: 600 }, rows));
    const svg = await render(buildTrendSpec({ lang: 'zh', kind: 'ratio', width: 600, target: { value: 0.5, label: '目标 50.0%' } }, rows));
    expect(svg).toContain('目标 50.0%');
    expect(svg).toContain('stroke-dasharray="6,4"');
    expect(without).not.toContain('stroke-dasharray="6,4"');
    // The axis reaches the target (50.0%) only when the target is drawn.
    expect(svg).toContain('>50.0%<');
    expect(without).not.toContain('>50.0%<');
  });
});

describe('a month without a figure in a trend', () => {
  it('is a gap in the line, not a 0 and not bridged; the months before the first figure are left out, the last one stays', async () => {
    const rows = periods.map((period, i) => ({ period, series: 'A', value: i < 4 || i === 8 || i === 11 ? null : 100 + i }));
    const spec = buildTrendSpec({ lang: 'zh', kind: 'count', width: 600 }, rows);
    expect((spec.data as { values: unknown[] }).values).toHaveLength(8);
    const svg = await render(spec);
    const line = /aria-roledescription="line mark" d="([^"]+)"/.exec(svg)![1]!;
    // Two pieces: February to May, then July to August; September, not reported, is on the axis without a point.
    expect(line.match(/M/g)).toHaveLength(2);
    expect(svg).not.toContain('2026年1月');
    expect(svg).toContain('>6月<');
    expect(svg).toContain('>9月<');
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(6);
    expect(() => buildTrendSpec({ lang: 'en', kind: 'count' }, rows.map((r) => ({ ...r, value: null })))).not.toThrow();
  });
});

describe('buildPlayMixSpec', () => {
  it('stacks 1- to 4-play shares per month', async () => {
    const rows = periods.flatMap((period) => [1, 2, 3, 4].map((plays) => ({ period, plays, customers: 1000 / plays })));
    const spec = buildPlayMixSpec({ lang: 'zh', width: 500 }, rows);
    const svg = await render(spec);
    expect(svg).toContain('4产品');
    expect(JSON.stringify(spec)).toContain('"stack":"zero"');
  });
});

describe('breakdown specs', () => {
  it('labels channel types, complaint categories and sources in the chosen language', async () => {
    const channels = enumCodes('channel_type').map((code, i) => ({ code, value: i === 4 ? null : 100 * (i + 1) }));
    expect(await render(buildChannelMixSpec({ lang: 'zh', width: 400 }, channels))).toContain('一类社会渠道');
    expect(await render(buildChannelProductivitySpec({ lang: 'en', width: 400 }, channels))).toContain('Class 1 partner halls');
    const categories = enumCodes('category').map((code, i) => ({ code, value: 10 * i }));
    expect(await render(buildComplaintCategoriesSpec({ lang: 'en', width: 400 }, categories))).toContain('Network quality');
    const sources = enumCodes('source').map((code) => ({ code, value: 5 }));
    const spec = buildComplaintSourcesSpec({ lang: 'zh', width: 400 }, sources);
    expect(await render(spec)).toContain('工信部/通管局');
    // Escalated sources are marked for the warning colour.
    const values = (spec.data as { values: { code: string; warn: boolean }[] }).values;
    expect(values.filter((v) => v.warn).map((v) => v.code)).toEqual(['media', 'regulator', 'upper_company']);
  });
});

describe('buildExclusiveSharedSpec', () => {
  const kpis = { adds_per_outlet_exclusive: 42.5, adds_per_outlet_shared: 17.25, commission_per_add_exclusive: 180.5, commission_per_add_shared: 95 };

  for (const lang of ['zh', 'en'] as Lang[]) {
    it(`puts exclusive and shared outlets side by side on adds per outlet and commission per add, in ${lang}`, async () => {
      const spec = buildExclusiveSharedSpec({ lang, width: 420 }, kpis);
      const svg = await render(spec);
      for (const key of EXCLUSIVE_SHARED_KEYS) expect(svg).toContain(kpiLabel(key, lang));
      for (const key of EXCLUSIVE_SHARED_KEYS) expect(svg).toContain(`${kpiLabel(key, lang)}: ${formatValue(kpis[key as keyof typeof kpis], kpiMeta(key).kind, lang)}`);
      const values = (spec.data as { values: { key: string; share: number; exclusive: boolean }[] }).values;
      expect(values.map((v) => [v.key, v.exclusive])).toEqual(EXCLUSIVE_SHARED_KEYS.map((k, i) => [k, i % 2 === 0]));
      // Each pair against its own larger value.
      expect(values.map((v) => Number(v.share.toFixed(3)))).toEqual([1, 0.406, 1, 0.526]);
    });
  }

  it('draws a missing figure as "—" and a pair of zeros without dividing by zero', async () => {
    const spec = buildExclusiveSharedSpec({ lang: 'zh', width: 420 }, { adds_per_outlet_exclusive: 0, adds_per_outlet_shared: 0, commission_per_add_exclusive: null });
    const svg = await render(spec);
    expect(svg).toContain(`${kpiLabel('commission_per_add_exclusive', 'zh')}: —`);
    const values = (spec.data as { values: { share: number | null }[] }).values;
    expect(values.map((v) => v.share)).toEqual([0, 0, null, null]);
  });
});

describe('buildSparklineSpec and sparklinePath', () => {
  it('compiles for the briefings and draws the same points as a path for the tiles', async () => {
    const points = periods.map((period, i) => ({ period, value: i === 5 ? null : 100 + i }));
    await render(buildSparklineSpec({ lang: 'zh' }, points));
    const geo = sparklinePath(points.map((p) => p.value), 100, 30);
    // The missing month breaks the line into two pieces.
    expect(geo.d.match(/M/g)).toHaveLength(2);
    expect(geo.last?.x).toBeCloseTo(98);
    expect(sparklinePath([null, null], 100, 30)).toEqual({ d: '', last: null });
    expect(sparklinePath([5, 5], 100, 30).d).toBe('M2.0 15.0L98.0 15.0');
  });
});

describe('buildQuickChartSpec', () => {
  it('charts a query result with the mark its x column suggests', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ city: `c${i}`, n: i, month: `2026-0${(i % 9) + 1}-01` }));
    expect(defaultMark('nominal')).toBe('bar');
    const bar = buildQuickChartSpec({ lang: 'zh', x: 'city', y: 'n', xType: 'nominal', width: 500 }, rows);
    expect((bar.data as { values: unknown[] }).values).toHaveLength(200);
    await render(bar);
    await render(buildQuickChartSpec({ lang: 'en', x: 'month', y: 'n', xType: 'temporal', width: 500 }, rows));
  });
});

describe('kpiMeta', () => {
  it('knows the families of kpis.md, named for their code first', () => {
    expect(kpiMeta('customers_3_play').zh).toMatch(/^3产品客户/);
    expect(kpiMeta('revenue_broadband')).toMatchObject({ kind: 'money', zh: expect.stringMatching(/^宽带.*收入$/), en: 'Broadband revenue' });
    expect(kpiMeta('complaints_network').direction).toBe('lower');
    expect(kpiMeta('adds_per_outlet_partner_full').kind).toBe('average');
  });
});
