// Every word the briefing prints that is not a KPI label, an enumeration name or a region name (those
// come in both languages from the catalogue, domain/enumerations.ts and the region list): one table
// per language, so the Chinese edition (the default) and the English one say the same things.
import type { Lang } from '../charts/format.ts';

export type { Lang };

export const LANGS: readonly Lang[] = ['zh', 'en'];

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

const ORDINAL_SUFFIX = (n: number): string => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
};

/** 1 → "1st", 12 → "12th", 23 → "23rd". */
export function ordinal(n: number): string {
  return `${n}${ORDINAL_SUFFIX(n)}`;
}

export interface BriefingText {
  platform: string;
  briefing: string;
  title(region: string, month: string): string;
  coverKicker: string;
  coverRegion(region: string, province: boolean): string;
  dataAsOf: string;
  generatedAt: string;
  dataVersion: string;
  headerRight: string;
  page(n: number, total: number): string;
  mom: string;
  yoy: string;
  /** A city's rank among the cities, on a tile and in tables. */
  rank(rank: number, of: number): string;
  headline: string;
  headlineNote(cities: number | null): string;
  rankTitle(region: string): string;
  indicator: string;
  cityRank: string;
  growth: string;
  growthNote: string;
  service: string;
  segments: string;
  segmentsNote: string;
  segment: string;
  channels: string;
  channelsNote: string;
  quality: string;
  qualityNote: string;
  dimension: Record<'channel_type' | 'category' | 'source' | 'segment', string>;
  tables: Record<'channel_type' | 'category' | 'source' | 'segment', string>;
  targets: {
    heading: string;
    note: string;
    score(score: string, rank: number | null, ranked: number): string;
    noScore: string;
    none: string;
    annual: string;
    columns: {
      kpi: string;
      target: string;
      period: string;
      actual: string;
      ytd: string;
      timeProgress: string;
      completion: string;
      gap: string;
      attainment: string;
      status: string;
      weight: string;
    };
    status: Record<'green' | 'amber' | 'red' | 'none', string>;
    tile(attainment: string): string;
    league: string;
    leagueColumns: { rank: string; city: string; score: string };
    /** A target missed, as the commentary says it. */
    missed(label: string, attainment: string, target: string, progress: string | null): string;
    scoreSentence(score: string, rank: number, ranked: number): string;
    points(gap: number): string;
  };
  commentary: string;
  commentaryNote: string;
  highlights: string;
  issues: string;
  suggestions: string;
  none: string;
  escalated: string;
  escalatedNote(total: number, shown: number): string;
  escalatedNotReported: string;
  escalatedNone: string;
  escalatedColumns: { id: string; received: string; city: string; category: string; source: string; status: string };
  status: Record<'resolved' | 'open' | 'overdue', string>;
  dataNote: {
    heading: string;
    note: string;
    intro(version: string): string;
    cityRows(region: string): string;
    allReported(names: string[]): string;
    provinceMissing(parts: string[], notReported: string): string;
    cityMissing(kinds: string[], region: string, notReported: string): string;
    kindMissing(kind: string, regions: string[]): string;
    rejectedTotal: string;
    indicator: string;
    month: string;
    loadsTitle(month: string, n: number): string;
    loadColumns: { file: string; load: string; kind: string; sliceRows: string; fileRows: string; rejected: string; finished: string };
  };
}

export const TEXT: Record<Lang, BriefingText> = {
  zh: {
    platform: '全业务运营分析平台',
    briefing: '月度经营简报',
    title: (region, month) => `${region} ${month} 月度经营简报`,
    coverKicker: '月度经营简报 · MONTHLY OPERATING BRIEFING',
    coverRegion: (region, province) => (province ? `浙江省 · ${region}` : `${region}分公司`),
    dataAsOf: '数据截至',
    generatedAt: '生成于',
    dataVersion: '数据版本',
    headerRight: '全业务运营分析平台 · 内部资料',
    page: (n, total) => `第 ${n} 页 / 共 ${total} 页`,
    mom: '环比',
    yoy: '同比',
    rank: (rank, of) => `第 ${rank} / ${of} 名`,
    headline: '核心指标',
    headlineNote: (cities) => (cities === null ? '环比、同比' : `环比、同比与在${cities}个地市中的排名`),
    rankTitle: (region) => `${region}在各地市中的排名（第1名为按指标方向最优）`,
    indicator: '指标',
    cityRank: '地市排名',
    growth: '融合发展与收入',
    growthNote: '融合渗透率、离网率与分业务收入',
    service: '业务',
    segments: '客户群',
    segmentsNote: '个人（公众）、家庭、政企三大客户群',
    segment: '客户群',
    channels: '渠道发展',
    channelsNote: '排他与非排他社会渠道并列：排他是否依赖酬金优势？',
    quality: '服务质量',
    qualityNote: '服务先行：万户投诉率、越级投诉、超时未办结与申诉',
    dimension: { channel_type: '渠道类型', category: '类别', source: '来源', segment: '客户群' },
    tables: { channel_type: '渠道效能（按渠道类型）', category: '投诉类别', source: '投诉来源', segment: '分客户群' },
    targets: {
      heading: '考核目标',
      note: '完成率、年累计对时序进度、考核得分与排名',
      score: (score, rank, ranked) => (rank === null ? `考核得分 ${score}` : `考核得分 ${score}，地市排名第 ${rank} / ${ranked} 名`),
      noScore: '本月无可计分的考核指标',
      none: '本月无适用的考核目标。',
      annual: '年度',
      columns: {
        kpi: '指标',
        target: '目标',
        period: '目标期',
        actual: '本月实际',
        ytd: '年累计',
        timeProgress: '时序进度',
        completion: '完成进度',
        gap: '进度差',
        attainment: '完成率',
        status: '状态',
        weight: '权重',
      },
      status: { green: '达标', amber: '接近', red: '未达标', none: '未评价' },
      tile: (attainment) => `完成率 ${attainment}`,
      league: '各地市考核得分',
      leagueColumns: { rank: '排名', city: '地市', score: '考核得分' },
      missed: (label, attainment, target, progress) => `${label}考核完成率 ${attainment}（目标 ${target}${progress ? `，${progress}` : ''}），未达标`,
      scoreSentence: (score, rank, ranked) => `考核得分 ${score}，地市排名第 ${rank} / ${ranked} 名`,
      points: (gap) => `${gap > 0 ? '+' : gap < 0 ? '-' : '±'}${Math.abs(gap * 100).toFixed(1)}个百分点`,
    },
    commentary: '问题与建议',
    commentaryNote: '按指标方向由本月数字生成',
    highlights: '亮点',
    issues: '问题',
    suggestions: '建议',
    none: '无',
    escalated: '本月越级投诉清单',
    escalatedNote: (total, shown) => (total > shown ? `共 ${total} 件，列出前 ${shown} 件（全部见 XLSX）` : `共 ${total} 件；状态截至月末`),
    escalatedNotReported: '投诉清单未上报，越级投诉清单待清单到达后生成。',
    escalatedNone: '本月无越级投诉。',
    escalatedColumns: { id: '投诉编号', received: '受理时间', city: '地市', category: '投诉类别', source: '投诉来源', status: '状态（截至月末）' },
    status: { resolved: '已办结', open: '处理中', overdue: '超时未办结' },
    dataNote: {
      heading: '数据质量说明',
      note: '本简报数字背后的数据',
      intro: (version) =>
        `本简报的全部数字取自与看板相同的指标查询（数据版本 ${version}），下列数据质量指标供解读时参考：` +
        `拒收行为相关文件中未通过校验而未入库的行；未归属渠道的新增无法计入任何渠道；` +
        `消失的业务是上月在网、本月各地市用户清单中均未出现的业务，不计为离网。`,
      cityRows: (region) => `下表只列${region}的行数：覆盖多个地市的文件，其拒收行与入库总行数不属本市，本简报不列。`,
      allReported: (names) => `本月${names.join('、')}均已上报。`,
      provinceMissing: (parts, notReported) =>
        `部分地市的清单本月尚未到达（not reported）——${parts.join('；')}。全省数字只含已上报清单的地市，缺少的地市不计为 0；这些地市的相关数字显示为“${notReported}”。`,
      cityMissing: (kinds, region, notReported) =>
        `${kinds.map((k) => `${k}${notReported}`).join('、')}（not reported）：${region}本月依赖这些清单的指标显示为“${notReported}”，不是 0；清单到达并入库后本简报将重新生成。`,
      kindMissing: (kind, regions) => `${kind}未上报：${regions.join('、')}`,
      rejectedTotal: '拒收行（相关文件合计）',
      indicator: '数据质量指标',
      month: '本月',
      loadsTitle: (month, n) => `数字背后的数据批次（${month}，${n} 个）`,
      loadColumns: { file: '文件', load: '批次', kind: '类型', sliceRows: '本简报行数', fileRows: '文件入库行数', rejected: '拒收行', finished: '入库时间' },
    },
  },
  en: {
    platform: 'Full-service operations analytics',
    briefing: 'Monthly operating briefing',
    title: (region, month) => `${region} ${month} monthly operating briefing`,
    coverKicker: 'MONTHLY OPERATING BRIEFING',
    coverRegion: (region, province) => (province ? `Zhejiang · ${region}` : `${region} branch`),
    dataAsOf: 'Data as of',
    generatedAt: 'Generated',
    dataVersion: 'Data version',
    headerRight: 'Full-service operations analytics · internal',
    page: (n, total) => `Page ${n} of ${total}`,
    mom: 'MoM',
    yoy: 'YoY',
    rank: (rank, of) => `${ordinal(rank)} of ${of}`,
    headline: 'Headline figures',
    headlineNote: (cities) => (cities === null ? 'month over month, year over year' : `month over month, year over year, rank among ${cities} cities`),
    rankTitle: (region) => `${region} among the cities (1st = the best by the KPI's direction)`,
    indicator: 'KPI',
    cityRank: 'Rank among cities',
    growth: 'Convergence and revenue',
    growthNote: 'convergence, churn and revenue by service',
    service: 'Service',
    segments: 'Customer groups',
    segmentsNote: 'personal (public), household and government & enterprise customers',
    segment: 'Customer group',
    channels: 'Channels',
    channelsNote: 'exclusive beside shared social outlets: does exclusivity rest on commission?',
    quality: 'Service quality',
    qualityNote: 'service first: complaints per 10k, escalations, overdue cases, appeals',
    dimension: { channel_type: 'Channel type', category: 'Category', source: 'Source', segment: 'Customer group' },
    tables: { channel_type: 'Channel productivity by channel type', category: 'Complaints by category', source: 'Complaints by source', segment: 'By customer group' },
    targets: {
      heading: 'Targets',
      note: 'attainment, year to date against time progress, score and rank',
      score: (score, rank, ranked) => (rank === null ? `Score ${score}` : `Score ${score}, ${ordinal(rank)} of ${ranked} cities`),
      noScore: 'No scored target this month',
      none: 'No target applies this month.',
      annual: 'Year',
      columns: {
        kpi: 'KPI',
        target: 'Target',
        period: 'Target period',
        actual: 'Actual',
        ytd: 'Year to date',
        timeProgress: 'Time progress',
        completion: 'Completion',
        gap: 'Gap',
        attainment: 'Attainment',
        status: 'Status',
        weight: 'Weight',
      },
      status: { green: 'On target', amber: 'Near', red: 'Off target', none: 'Not judged' },
      tile: (attainment) => `att. ${attainment}`,
      league: 'Cities by score',
      leagueColumns: { rank: 'Rank', city: 'City', score: 'Score' },
      missed: (label, attainment, target, progress) => `${label}: ${attainment} of target (target ${target}${progress ? `, ${progress}` : ''}), off target`,
      scoreSentence: (score, rank, ranked) => `Score ${score}, ${ordinal(rank)} of ${ranked} cities`,
      points: (gap) => `${gap > 0 ? '+' : gap < 0 ? '-' : '±'}${Math.abs(gap * 100).toFixed(1)} pp`,
    },
    commentary: 'Issues and actions',
    commentaryNote: "generated from the month's figures by each KPI's direction",
    highlights: 'Highlights',
    issues: 'Issues',
    suggestions: 'Actions',
    none: 'None',
    escalated: "The month's escalated complaints",
    escalatedNote: (total, shown) => (total > shown ? `${total} in all, the first ${shown} listed (all in the XLSX)` : `${total} in all; status at the month's end`),
    escalatedNotReported: 'The complaint extract has not been reported: the list follows when it arrives.',
    escalatedNone: 'No escalated complaint this month.',
    escalatedColumns: { id: 'Complaint ID', received: 'Received', city: 'City', category: 'Category', source: 'Source', status: "Status (month's end)" },
    status: { resolved: 'Resolved', open: 'Open', overdue: 'Overdue, open' },
    dataNote: {
      heading: 'Data quality',
      note: 'the data behind the figures',
      intro: (version) =>
        `Every figure of this briefing comes from the same KPI queries as the board (data version ${version}). ` +
        'Rejected rows failed the checks and were not loaded; adds without a channel count in no channel; ' +
        "vanished subscriptions were active last month and are in no subscriber extract this month: they do not count as churn.",
      cityRows: (region) => `The table counts ${region}'s rows only: the totals of files covering several cities are not listed.`,
      allReported: (names) => `This month's ${names.join(', ')} have all been reported.`,
      provinceMissing: (parts, notReported) =>
        `Some cities' extracts have not arrived this month — ${parts.join('; ')}. The figures cover the cities that reported; a missing city does not count as 0, its figures read "${notReported}".`,
      cityMissing: (kinds, region, notReported) =>
        `${kinds.map((k) => `${k} ${notReported}`).join(', ')}: ${region}'s figures that depend on it read "${notReported}", not 0; the briefing is made again when the extract arrives.`,
      kindMissing: (kind, regions) => `${kind} not reported: ${regions.join(', ')}`,
      rejectedTotal: 'Rejected rows (the files, in all)',
      indicator: 'Data-quality figure',
      month: 'This month',
      loadsTitle: (month, n) => `The loads behind the figures (${month}, ${n})`,
      loadColumns: { file: 'File', load: 'Load', kind: 'Kind', sliceRows: 'Rows here', fileRows: 'Rows loaded', rejected: 'Rejected', finished: 'Loaded at' },
    },
  },
};
