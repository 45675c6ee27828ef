import { describe, expect, it } from 'vitest';
import { sampleBriefing } from '../test/fixtures/briefing-sample.ts';
import type { BriefingData } from './briefing.ts';
import { commentary, judge, kpiSentence } from './commentary.ts';

type Input = Parameters<typeof commentary>[0];

/** A city's month with only the figures a case needs. */
function month(o: Partial<Input> & Pick<Input, 'kpis'>): Input {
  return { region: '330300', previous: {}, ranks: {}, missing: {}, regionCount: 11, targets: { score: null, rank: null, ranked: 0, rows: [], league: [] }, ...o };
}

describe('kpiSentence', () => {
  it('says the value with its measure word, the change in words and the rank among the cities, in either language', () => {
    const d = month({ kpis: { escalated_complaints: 3 }, previous: { escalated_complaints: 6 }, ranks: { escalated_complaints: { rank: 10, of: 11 } } });
    expect(kpiSentence(d, 'escalated_complaints', 'zh')).toBe('越级投诉量 3 件，环比下降 50.0%（向好），地市排名第 10 / 11 名');
    expect(kpiSentence(d, 'escalated_complaints', 'en')).toBe('Escalated complaints 3, down 50.0% on the month before (better), 10th of 11 among the cities');
  });

  it('judges a change by the KPI\'s direction: churn up is worse, convergence up is better; rates move in points', () => {
    const d = month({
      kpis: { churn_rate: 0.012, convergence_rate: 0.43 },
      previous: { churn_rate: 0.01, convergence_rate: 0.41 },
    });
    expect(kpiSentence(d, 'churn_rate', 'zh')).toBe('离网率 1.2%，环比上升 0.2个百分点（变差）');
    expect(kpiSentence(d, 'convergence_rate', 'zh')).toBe('融合渗透率 43.0%，环比上升 2.0个百分点（向好）');
    expect(kpiSentence(d, 'churn_rate', 'en')).toBe('Churn rate 1.2%, up 0.2 pp on the month before (worse)');
    expect(judge(d, 'churn_rate')).toBe('bad');
    expect(judge(d, 'convergence_rate')).toBe('good');
  });

  it('names a month without a comparable figure, a nil month before and no change, without inventing a percentage', () => {
    const d = month({
      kpis: { escalated_complaints: 2, complaints: 40, overdue_open_complaints: 0 },
      previous: { escalated_complaints: 0, complaints: null, overdue_open_complaints: 0 },
    });
    expect(kpiSentence(d, 'escalated_complaints', 'zh')).toBe('越级投诉量 2 件，上月为 0');
    expect(kpiSentence(d, 'complaints', 'zh')).toBe('投诉量 40 件，上月无可比数字');
    expect(kpiSentence(d, 'overdue_open_complaints', 'en')).toBe('Overdue open complaints 0, flat on the month before');
  });

  it('has no sentence for a figure that is missing (null), rather than a 0', () => {
    expect(kpiSentence(month({ kpis: { escalated_complaints: null } }), 'escalated_complaints', 'zh')).toBeNull();
  });
});

describe('judge', () => {
  it('makes any escalated complaint an issue, even one fewer than last month; none and flat is neither', () => {
    expect(judge(month({ kpis: { escalated_complaints: 1 }, previous: { escalated_complaints: 4 } }), 'escalated_complaints')).toBe('bad');
    expect(judge(month({ kpis: { escalated_complaints: 0 }, previous: { escalated_complaints: 0 } }), 'escalated_complaints')).toBeNull();
    expect(judge(month({ kpis: { escalated_complaints: 0 }, previous: { escalated_complaints: 2 } }), 'escalated_complaints')).toBe('good');
  });

  it('takes the last three places among the cities for an issue and the first three for a highlight, whatever the change', () => {
    const flat = { revenue: 100 };
    expect(judge(month({ kpis: flat, previous: flat, ranks: { revenue: { rank: 9, of: 11 } } }), 'revenue')).toBe('bad');
    expect(judge(month({ kpis: flat, previous: flat, ranks: { revenue: { rank: 3, of: 11 } } }), 'revenue')).toBe('good');
    expect(judge(month({ kpis: flat, previous: flat, ranks: { revenue: { rank: 5, of: 11 } } }), 'revenue')).toBeNull();
  });
});

describe('commentary', () => {
  it('lists issues with an action each, and highlights, by direction', () => {
    const d = month({
      kpis: { churn_rate: 0.012, convergence_rate: 0.43, escalated_complaints: 3 },
      previous: { churn_rate: 0.01, convergence_rate: 0.41, escalated_complaints: 6 },
      ranks: { escalated_complaints: { rank: 10, of: 11 } },
    });
    expect(commentary(d, 'zh')).toEqual({
      issues: ['离网率 1.2%，环比上升 0.2个百分点（变差）', '越级投诉量 3 件，环比下降 50.0%（向好），地市排名第 10 / 11 名'],
      suggestions: ['对离网高风险用户开展维系挽留，以融合套餐稳定存量', '越级投诉逐件回访、查明原因、落实责任，压降至 0'],
      highlights: ['融合渗透率 43.0%，环比上升 2.0个百分点（向好）'],
    });
    expect(commentary(d, 'en').suggestions).toEqual([
      'Run retention for subscriptions at risk and hold them with converged bundles',
      'Follow up every escalated complaint, find its cause and drive escalations to zero',
    ]);
  });

  it('says a missing extract is missing — the figures it leaves without a value cannot be judged — and never reads them as 0', () => {
    const d: BriefingData = sampleBriefing('330300', { complaint: ['330300'] });
    const zh = commentary(d, 'zh');
    expect(zh.issues[0]).toBe('投诉清单未上报：万户投诉率、越级投诉量、投诉处理及时率、投诉处理满意率本月无法评价（不按 0 计）');
    expect(zh.suggestions[0]).toBe('尽快报送投诉清单，到达后本简报自动重新生成');
    expect(commentary(d, 'en').issues[0]).toBe(
      'Complaint extract not reported: Complaints per 10k, Escalated complaints, Handled on time, Satisfaction cannot be judged this month (not taken as 0)',
    );
    for (const line of [...zh.issues, ...zh.highlights]) expect(line).not.toMatch(/越级投诉量 0|万户投诉率 0/);
  });

  it('gives the province no rank (it is not ranked among the cities)', () => {
    const d = sampleBriefing('ALL');
    expect(commentary(d, 'zh').issues.length + commentary(d, 'zh').highlights.length).toBeGreaterThan(0);
    for (const line of [...commentary(d, 'zh').issues, ...commentary(d, 'zh').highlights]) expect(line).not.toContain('名');
  });

  it('names each target missed (red) with its attainment, target and year to date, and the score near the bottom of the cities as an issue', () => {
    const rows = [
      { kpi: 'escalated_complaints', target: 60, target_period: '2026', actual: 12, ytd: 50, months_covered: 9, time_progress: 0.75, completion: 0.8333333333, gap: 0.0833333333, attainment: 0.8888888889, status: 'red' as const, weight: 5 },
      { kpi: 'complaints_per_10k', target: 3, target_period: '2026', actual: 3.45, ytd: null, months_covered: null, time_progress: null, completion: null, gap: null, attainment: 0.85, status: 'red' as const, weight: 10 },
      { kpi: 'revenue', target: 1.2e9, target_period: '2026', actual: 9.8e7, ytd: 8.8e8, months_covered: 9, time_progress: 0.75, completion: 0.7333333333, gap: -0.0166666667, attainment: 0.9777777778, status: 'amber' as const, weight: 30 },
    ];
    const d = month({ kpis: {}, targets: { score: 81.25, rank: 10, ranked: 11, rows, league: [] } });
    expect(commentary(d, 'zh')).toEqual({
      issues: [
        '考核得分 81.25，地市排名第 10 / 11 名',
        '越级投诉量考核完成率 88.9%（目标 60，年累计 50，时序进度 75.0%），未达标',
        '万户投诉率考核完成率 85.0%（目标 3.00），未达标',
      ],
      suggestions: ['越级投诉逐件回访、查明原因、落实责任，压降至 0', '对投诉量最大的类别制定整改措施，从源头减少投诉'],
      highlights: [],
    });
    expect(commentary(d, 'en').issues).toEqual([
      'Score 81.25, 10th of 11 cities',
      'Escalated complaints: 88.9% of target (target 60, year to date 50, time progress 75.0%), off target',
      'Complaints per 10k: 85.0% of target (target 3.00), off target',
    ]);
    // A score among the first three is a highlight; the province (no rank) neither.
    expect(commentary(month({ kpis: {}, targets: { score: 104.5, rank: 2, ranked: 11, rows: [], league: [] } }), 'zh').highlights).toEqual(['考核得分 104.50，地市排名第 2 / 11 名']);
    expect(commentary(month({ region: 'ALL', kpis: {}, targets: { score: 99, rank: null, ranked: 11, rows: [], league: [] } }), 'zh')).toEqual({ issues: [], suggestions: [], highlights: [] });
  });
});
