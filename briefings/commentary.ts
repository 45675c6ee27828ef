// 问题与建议: a short commentary written from the month's figures by fixed rules, in either language.
// Each headline KPI gets one sentence of facts — value, month-over-month change, rank among the
// cities (a city's briefing) — judged by the KPI's direction (domain/kpi-catalogue.ts): a change the
// good way or a place near the top is a highlight, a change the bad way, a place near the bottom or
// any escalated complaint (branches drive them to zero) an issue, and every issue brings its action.
// Targets (考核): a target missed (status red) is an issue, the city's score near the bottom of the
// cities an issue and near the top a highlight.
// A figure whose extract has not arrived is said to be missing, never taken for 0. Pure functions of
// BriefingData, so the PDF and the XLSX print the same sentences and a unit test reads them.
import { NOT_REPORTED, formatChange, formatValue, type Lang } from '../charts/format.ts';
import { isImprovement, kpiLabel, kpiMeta, kpiUnit } from '../charts/labels.ts';
import { DATA_KINDS, type DataKind } from '../domain/contracts.ts';
import { missingSources } from '../domain/missing.ts';
import { EXTRACT_NAMES, HEADLINE_KEYS, type BriefingData } from './briefing.ts';
import { TEXT } from './text.ts';
import { attainmentText, figureText, progressText } from './target-figures.ts';

/** The KPIs the commentary speaks of, in this order. */
export const COMMENTARY_KEYS: readonly string[] = HEADLINE_KEYS;

/** Figures that should be zero whatever last month was: 越级投诉 must be driven to none. */
const MUST_BE_ZERO: ReadonlySet<string> = new Set(['escalated_complaints']);

/** A place this near either end of the ranking is worth a word. */
const NEAR_END = 3;

/** Counts read with a measure word in Chinese ("越级投诉量 3 件"). */
const COUNT_WORDS: Record<string, string> = {
  complaints: '件',
  escalated_complaints: '件',
  open_complaints: '件',
  overdue_open_complaints: '件',
  exclusive_outlets: '个',
};

/** What to do about a KPI that is an issue; others get a general sentence. */
const ACTIONS: Record<string, Record<Lang, string>> = {
  escalated_complaints: {
    zh: '越级投诉逐件回访、查明原因、落实责任，压降至 0',
    en: 'Follow up every escalated complaint, find its cause and drive escalations to zero',
  },
  complaints_per_10k: {
    zh: '对投诉量最大的类别制定整改措施，从源头减少投诉',
    en: 'Take the largest complaint categories one by one and remove their causes',
  },
  sla_met_rate: {
    zh: '逐单督办临近时限的投诉，提高时限内处理率',
    en: 'Chase every complaint close to its deadline to raise handling within the time limit',
  },
  satisfaction_rate: {
    zh: '回访不满意工单，改进服务短板',
    en: 'Call back dissatisfied customers and fix what they name',
  },
  churn_rate: {
    zh: '对离网高风险用户开展维系挽留，以融合套餐稳定存量',
    en: 'Run retention for subscriptions at risk and hold them with converged bundles',
  },
  convergence_rate: {
    zh: '推动单产品客户升级融合套餐，提升融合渗透率',
    en: 'Move single-service customers to converged bundles',
  },
  converged_adds_share: {
    zh: '新增发展以融合套餐为主，渠道考核向融合倾斜',
    en: 'Sell converged bundles first and weight channel incentives towards them',
  },
  net_adds: {
    zh: '加强新增发展，同时做好存量保有',
    en: 'Strengthen sales and keep the existing base',
  },
  active_subscriptions: {
    zh: '加强新增发展，同时做好存量保有',
    en: 'Strengthen sales and keep the existing base',
  },
  revenue: {
    zh: '分析收入下滑的业务与客户群，控制优惠、提升价值',
    en: 'Find the services and customer groups behind the revenue fall; contain discounts',
  },
  arpu: {
    zh: '控制交叉优惠，推动价值提升',
    en: 'Contain cross-discounts and sell up',
  },
  commission_per_add: {
    zh: '检视渠道酬金政策，控制单新增酬金',
    en: 'Review channel commission and bring commission per add down',
  },
};

export interface Remark {
  key: string;
  tone: 'good' | 'bad';
  text: string;
}

export interface Commentary {
  highlights: string[];
  issues: string[];
  suggestions: string[];
}

type Input = Pick<BriefingData, 'region' | 'kpis' | 'previous' | 'ranks' | 'missing' | 'regionCount' | 'targets'>;

/** "越级投诉量 3 件" / "Escalated complaints 3": the label, the value as the board shows it, the unit. */
function valueText(key: string, value: number, lang: Lang): string {
  const { kind } = kpiMeta(key);
  const unit = kpiUnit(key, lang) || (lang === 'zh' && kind === 'count' ? (COUNT_WORDS[key] ?? '') : '');
  const formatted = formatValue(value, kind, lang);
  return `${kpiLabel(key, lang)} ${formatted}${unit ? ` ${unit}` : ''}`;
}

/** "环比下降 50.0%（向好）", "环比持平", "上月为 0" — the change by the KPI's direction. */
function changeText(key: string, value: number, previous: number | null | undefined, lang: Lang): { text: string; judged: boolean | null } {
  const { kind } = kpiMeta(key);
  if (previous === null || previous === undefined) return { text: lang === 'zh' ? '上月无可比数字' : 'no figure for the month before', judged: null };
  if (kind !== 'ratio' && previous === 0 && value !== 0) return { text: lang === 'zh' ? '上月为 0' : 'nil the month before', judged: null };
  const change = formatChange(value, previous, kind, lang);
  if (!change || change.direction === 'flat') return { text: lang === 'zh' ? '环比持平' : 'flat on the month before', judged: null };
  const amount = change.text.replace(/^[+\-±]/, '');
  const good = isImprovement(key, change.direction);
  const up = change.direction === 'up';
  const verdict = good === null ? '' : lang === 'zh' ? (good ? '（向好）' : '（变差）') : good ? ' (better)' : ' (worse)';
  const text = lang === 'zh' ? `环比${up ? '上升' : '下降'} ${amount}${verdict}` : `${up ? 'up' : 'down'} ${amount.trim()} on the month before${verdict}`;
  return { text, judged: good };
}

/** The facts of one KPI, e.g. "越级投诉量 3 件，环比下降 50.0%（向好），地市排名第 10 / 11 名"; null without a figure. */
export function kpiSentence(d: Input, key: string, lang: Lang): string | null {
  const value = d.kpis[key] ?? null;
  if (value === null) return null;
  const parts = [valueText(key, value, lang), changeText(key, value, d.previous?.[key], lang).text];
  const rank = d.ranks[key];
  if (rank) parts.push(lang === 'zh' ? `地市排名${TEXT.zh.rank(rank.rank, rank.of)}` : `${TEXT.en.rank(rank.rank, rank.of)} among the cities`);
  return parts.join(lang === 'zh' ? '，' : ', ');
}

/** Whether a KPI's month is a highlight, an issue, or neither (null): by direction, rank and must-be-zero. */
export function judge(d: Input, key: string): Remark['tone'] | null {
  const value = d.kpis[key] ?? null;
  if (value === null) return null;
  const { judged } = changeText(key, value, d.previous?.[key], 'zh');
  const rank = d.ranks[key];
  const nearBottom = rank !== null && rank !== undefined && rank.of > NEAR_END * 2 && rank.rank > rank.of - NEAR_END;
  const nearTop = rank !== null && rank !== undefined && rank.of > NEAR_END * 2 && rank.rank <= NEAR_END;
  if ((MUST_BE_ZERO.has(key) && value > 0) || judged === false || nearBottom) return 'bad';
  if (judged === true || nearTop) return 'good';
  return null;
}

/** The extracts of the briefing's scope that have not arrived, with the commentary KPIs they leave without a figure. */
function missingKinds(d: Input): { kind: DataKind; keys: string[] }[] {
  return DATA_KINDS.map((kind) => ({
    kind,
    keys: COMMENTARY_KEYS.filter((key) => (d.kpis[key] ?? null) === null && missingSources(key, d.region, d.missing, d.regionCount).includes(kind)),
  })).filter((m) => m.keys.length > 0);
}

/** The score's sentence and whether it is an issue (near the bottom) or a highlight (near the top); null otherwise. */
function scoreRemark(d: Input, lang: Lang): Remark | null {
  const { score, rank, ranked } = d.targets;
  if (score === null || rank === null || ranked <= NEAR_END * 2) return null;
  const text = TEXT[lang].targets.scoreSentence(score.toFixed(2), rank, ranked);
  if (rank > ranked - NEAR_END) return { key: 'score', tone: 'bad', text };
  if (rank <= NEAR_END) return { key: 'score', tone: 'good', text };
  return null;
}

const actionFor = (key: string, lang: Lang) =>
  ACTIONS[key]?.[lang] ?? (lang === 'zh' ? `${kpiLabel(key, lang)}：分析原因，制定改进措施` : `${kpiLabel(key, lang)}: find the cause and act on it`);

export function commentary(d: Input, lang: Lang): Commentary {
  const highlights: string[] = [];
  const issues: string[] = [];
  const suggestions: string[] = [];
  const sep = lang === 'zh' ? '、' : ', ';
  for (const { kind, keys } of missingKinds(d)) {
    const name = EXTRACT_NAMES[kind][lang];
    const labels = keys.map((k) => kpiLabel(k, lang)).join(sep);
    issues.push(
      lang === 'zh'
        ? `${name}${NOT_REPORTED.zh}：${labels}本月无法评价（不按 0 计）`
        : `${name[0]!.toUpperCase()}${name.slice(1)} ${NOT_REPORTED.en}: ${labels} cannot be judged this month (not taken as 0)`,
    );
    suggestions.push(lang === 'zh' ? `尽快报送${name}，到达后本简报自动重新生成` : `Send the ${name}; the briefing is made again when it arrives`);
  }
  const score = scoreRemark(d, lang);
  if (score) (score.tone === 'bad' ? issues : highlights).push(score.text);
  // Targets missed: each with its attainment, the target and, for a year-to-date one, where the year stands.
  for (const row of d.targets.rows) {
    if (row.status !== 'red') continue;
    issues.push(TEXT[lang].targets.missed(kpiLabel(row.kpi, lang), attainmentText(row), figureText(row.kpi, row.target), progressText(row, lang)));
    const action = actionFor(row.kpi, lang);
    if (!suggestions.includes(action)) suggestions.push(action);
  }
  for (const key of COMMENTARY_KEYS) {
    const tone = judge(d, key);
    const sentence = kpiSentence(d, key, lang);
    if (tone === null || sentence === null) continue;
    if (tone === 'good') highlights.push(sentence);
    else {
      issues.push(sentence);
      const action = actionFor(key, lang);
      if (!suggestions.includes(action)) suggestions.push(action);
    }
  }
  return { highlights, issues, suggestions };
}
