// The briefing's figures as a workbook: one sheet per section, sheet names in the edition's language,
// every figure a number cell with a number format (percentages, ¥, counts), so that a branch can
// calculate with them; the values are the query layer's, unrounded — the format only changes how
// Excel shows them. The commentary and the escalated complaints are sheets of text.
import ExcelJS from 'exceljs';
import { NOT_REPORTED, formatPeriod, type Lang } from '../charts/format.ts';
import { enumCodes, enumLabel, kpiLabel } from '../charts/labels.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, COMPARISON_KEY, COMPLAINTS_BY_SERVICE, HEADLINE_KEYS, QUALITY_KEYS, SERIES_KEYS, SERVICE_CODES, SERVICE_COLUMNS, TABLES } from './briefing.ts';
import { extractStatus, kindOf, notReported, regionLabel, type BreakdownDimension, type BriefingData } from './briefing.ts';
import { commentary } from './commentary.ts';
import { TEXT } from './text.ts';
import { statusArgb, targetPeriodText } from './target-figures.ts';

/** Excel number formats per value kind; the ¥ is a literal, not a locale's currency. */
export const NUM_FMT: Record<KpiUnit, string> = {
  count: '#,##0',
  ratio: '0.0%',
  money: '"¥"#,##0.00',
  per_10k: '0.00',
  per_million: '0.00',
  hours: '0.0',
  average: '0.0',
};

/** Percentage-point changes are numbers of points, shown with their unit. */
const POINTS_FMT: Record<Lang, string> = {
  zh: '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
  en: '+0.0" pp";-0.0" pp";0.0" pp"',
};
const RELATIVE_FMT = '+0.0%;-0.0%;0.0%';

type SheetId =
  | 'cover'
  | 'headline'
  | 'targets'
  | 'league'
  | 'commentary'
  | 'channelFocus'
  | 'complaintFocus'
  | 'trends'
  | 'services'
  | 'segments'
  | 'channels'
  | 'categories'
  | 'sources'
  | 'escalated'
  | 'cities'
  | 'quality'
  | 'all';

/** The sheets in workbook order, named in each language (≤ 31 characters). */
export const SHEET_NAMES: Record<Lang, Record<SheetId, string>> = {
  zh: {
    cover: '封面',
    headline: '核心指标',
    targets: '考核目标',
    league: '各地市考核得分',
    commentary: '问题与建议',
    channelFocus: '排他与非排他渠道',
    complaintFocus: '投诉处理与申诉',
    trends: '近12个月趋势',
    services: '分业务',
    segments: '客户群',
    channels: '渠道效能',
    categories: '投诉类别',
    sources: '投诉来源',
    escalated: '越级投诉清单',
    cities: '各地市对比',
    quality: '数据质量',
    all: '全部指标',
  },
  en: {
    cover: 'Cover',
    headline: 'Headline',
    targets: 'Targets',
    league: 'Cities by score',
    commentary: 'Issues and actions',
    channelFocus: 'Exclusive vs shared outlets',
    complaintFocus: 'Complaint handling',
    trends: 'Last 12 months',
    services: 'By service',
    segments: 'Customer groups',
    channels: 'Channel productivity',
    categories: 'Complaint categories',
    sources: 'Complaint sources',
    escalated: 'Escalated complaints',
    cities: 'Cities compared',
    quality: 'Data quality',
    all: 'All KPIs',
  },
};

/** The Chinese edition's sheet names (the default edition). */
export const SHEETS = SHEET_NAMES.zh;

/** Headers and words of the sheets that text.ts does not hold. */
const WORDS = {
  zh: {
    item: '项目',
    content: '内容',
    briefing: '简报',
    regionCode: '地区编码',
    region: '地区',
    month: '月份',
    missingExtracts: '未上报的清单',
    reported: '已上报',
    missingRegions: '未上报的地区',
    extract: '清单',
    state: '上报情况',
    kpiKey: '指标键',
    kpi: '指标',
    thisMonth: '本月',
    lastMonth: '上月',
    sameMonthLastYear: '去年同月',
    ranked: '参与排名地市数',
    cityCode: '地市编码',
    city: '地市',
    kind: '类型',
    no: '序号',
    monthsCovered: '计入月数',
    gapPoints: '进度差(个百分点)',
    score: '考核得分',
    rank: '地市排名',
  },
  en: {
    item: 'Item',
    content: 'Content',
    briefing: 'Briefing',
    regionCode: 'Region code',
    region: 'Region',
    month: 'Month',
    missingExtracts: 'Extracts not reported',
    reported: 'reported',
    missingRegions: 'Regions not reported',
    extract: 'Extract',
    state: 'State',
    kpiKey: 'KPI key',
    kpi: 'KPI',
    thisMonth: 'This month',
    lastMonth: 'Month before',
    sameMonthLastYear: 'Same month last year',
    ranked: 'Cities ranked',
    cityCode: 'City code',
    city: 'City',
    kind: 'Kind',
    no: 'No.',
    monthsCovered: 'Months covered',
    gapPoints: 'Gap (points)',
    score: 'Score',
    rank: 'Rank among cities',
  },
} as const;

type Cell = string | number | null;

interface Col {
  header: string;
  width: number;
  fmt?: string;
}

function sheet(wb: ExcelJS.Workbook, name: string, cols: readonly Col[], rows: readonly Cell[][]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, width: c.width, ...(c.fmt ? { style: { numFmt: c.fmt } } : {}) }));
  const head = ws.getRow(1);
  head.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1E3A8A' } };
  for (const r of rows) ws.addRow(r);
  return ws;
}

/** Per-row formats (a column of mixed kinds, e.g. the headline values). */
function formatRows(ws: ExcelJS.Worksheet, columns: readonly number[], fmtOf: (rowIndex: number) => string | undefined): void {
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const fmt = fmtOf(n - 2);
    if (fmt) for (const c of columns) row.getCell(c).numFmt = fmt;
  });
}

const num = (v: number | null | undefined): number | null => (v === undefined || v === null || !Number.isFinite(v) ? null : v);

function change(cur: number | null | undefined, prev: number | null | undefined, kind: KpiUnit): number | null {
  if (cur == null || prev == null) return null;
  if (kind === 'ratio') return (cur - prev) * 100;
  return prev === 0 ? null : (cur - prev) / Math.abs(prev);
}

export async function renderXlsx(d: BriefingData, lang: Lang = 'zh'): Promise<Uint8Array> {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const names = SHEET_NAMES[lang];
  const region = regionLabel(d, lang);
  /** This month's figure of `key`: the number, or the text "未上报" when its extract has not arrived (never 0). */
  const figure = (key: string, v: number | null | undefined): Cell => (notReported(d, key, v) ? NOT_REPORTED[lang] : num(v));

  const wb = new ExcelJS.Workbook();
  wb.creator = t.platform;
  wb.title = t.title(region, formatPeriod(d.period, lang));
  wb.created = new Date(`${d.generatedAt.replace(' ', 'T')}+08:00`);

  sheet(wb, names.cover, [{ header: w.item, width: 22 }, { header: w.content, width: 48 }], [
    [w.briefing, `${region} ${t.briefing}`],
    [w.regionCode, d.region],
    [w.region, region],
    [w.month, d.period],
    [t.dataAsOf, d.dataAsOf],
    [t.generatedAt, d.generatedAt],
    [t.dataVersion, d.dataVersion],
    [w.missingExtracts, extractStatus(d, lang).flatMap((s) => (s.missing.length ? [s.name] : [])).join(lang === 'zh' ? '、' : ', ') || t.none],
  ]);

  kpiSheet(wb, d, names.headline, HEADLINE_KEYS, lang, figure);
  targetsSheet(wb, d, lang, figure);

  const c = commentary(d, lang);
  sheet(
    wb,
    names.commentary,
    [{ header: w.kind, width: 10 }, { header: w.no, width: 6 }, { header: w.content, width: 100 }],
    [
      ...c.issues.map((s, i): Cell[] => [t.issues, i + 1, s]),
      ...c.suggestions.map((s, i): Cell[] => [t.suggestions, i + 1, s]),
      ...c.highlights.map((s, i): Cell[] => [t.highlights, i + 1, s]),
    ],
  );

  kpiSheet(wb, d, names.channelFocus, CHANNEL_KEYS, lang, figure);
  kpiSheet(wb, d, names.complaintFocus, [...COMPLAINT_KEYS, ...COMPLAINTS_BY_SERVICE], lang, figure);

  sheet(
    wb,
    names.trends,
    [{ header: w.month, width: 10 }, ...SERIES_KEYS.map((k) => ({ header: kpiLabel(k, lang), width: 16, fmt: NUM_FMT[kindOf(k)] }))],
    d.periods.map((p, i) => [p, ...SERIES_KEYS.map((k) => num(d.series[k]?.[i]))]),
  );

  sheet(
    wb,
    names.services,
    [{ header: t.service, width: 12 }, ...SERVICE_COLUMNS.map((col) => ({ header: col.label[lang], width: 18, fmt: NUM_FMT[col.kind] }))],
    SERVICE_CODES.map((s) => [enumLabel('service', s, lang), ...SERVICE_COLUMNS.map((col) => figure(`${col.field}_${s}`, d.kpis[`${col.field}_${s}`]))]),
  );

  const breakdown = (name: string, dimension: BreakdownDimension) => {
    const byCode = new Map(d.breakdowns[dimension].map((r) => [r.code, r.values]));
    sheet(
      wb,
      name,
      [{ header: t.dimension[dimension], width: 16 }, ...TABLES[dimension].columns.map((col) => ({ header: col.label[lang], width: 16, fmt: NUM_FMT[col.kind] }))],
      enumCodes(dimension).map((code) => [enumLabel(dimension, code, lang), ...TABLES[dimension].columns.map((col) => figure(col.sourceKey, byCode.get(code)?.[col.field]))]),
    );
  };
  breakdown(names.segments, 'segment');
  breakdown(names.channels, 'channel_type');
  breakdown(names.categories, 'category');
  breakdown(names.sources, 'source');

  // The month's escalated complaints, every one of them; a line saying so when the extract is missing or there are none.
  const province = d.region === 'ALL';
  const ec = t.escalatedColumns;
  const list = d.escalated;
  sheet(
    wb,
    names.escalated,
    [
      { header: ec.id, width: 22 },
      { header: ec.received, width: 20 },
      ...(province ? [{ header: ec.city, width: 10 }] : []),
      { header: ec.category, width: 14 },
      { header: ec.source, width: 16 },
      { header: ec.status, width: 16 },
    ],
    list === null
      ? [[t.escalatedNotReported]]
      : list.total === 0
        ? [[t.escalatedNone]]
        : list.rows.map((r) => [
            r.complaint_id,
            r.received_at,
            ...(province ? [d.cityNames[r.region_code]?.[lang] ?? r.region_code] : []),
            enumLabel('category', r.category, lang),
            enumLabel('source', r.source, lang),
            t.status[r.status],
          ]),
  );

  // Only the province's workbook compares the cities; a city's holds its own ranks (the rank columns).
  if (province)
    sheet(
      wb,
      names.cities,
      [{ header: w.cityCode, width: 10 }, { header: w.city, width: 12 }, { header: kpiLabel(COMPARISON_KEY, lang), width: 14, fmt: NUM_FMT[kindOf(COMPARISON_KEY)] }],
      d.cities.map((city) => [city.region_code, lang === 'zh' ? city.name : city.nameEn, city.notReported ? NOT_REPORTED[lang] : num(city.value)]),
    );

  // A city's: only its own slices' rows (a province-wide file's totals count other cities' rows).
  const dn = t.dataNote;
  const rejected = d.loads.reduce((sum, l) => sum + (l.rows_rejected ?? 0), 0);
  const quality = sheet(wb, names.quality, [{ header: dn.indicator, width: 30 }, { header: dn.month, width: 14, fmt: NUM_FMT.count }], [
    ...(province ? [[dn.rejectedTotal, rejected]] : []),
    ...QUALITY_KEYS.map((k): Cell[] => [kpiLabel(k, lang), figure(k, d.kpis[k])]),
  ]);
  quality.addRow([]);
  // Which extracts of the month have not arrived: every kind, with the regions lacking it.
  const extractHeader = quality.addRow([w.extract, w.state, w.missingRegions]);
  extractHeader.font = { bold: true };
  for (const s of extractStatus(d, lang))
    quality.addRow(s.missing.length ? [s.name, lang === 'zh' ? `${s.name}${NOT_REPORTED.zh}` : NOT_REPORTED.en, s.missing.join(lang === 'zh' ? '、' : ', ')] : [s.name, w.reported]);
  quality.addRow([]);
  const lc = dn.loadColumns;
  const loadHeader = quality.addRow(
    province ? [lc.file, lc.load, lc.kind, lc.sliceRows, lc.fileRows, lc.rejected, lc.finished] : [lc.file, lc.load, lc.kind, lc.sliceRows, lc.finished],
  );
  loadHeader.font = { bold: true };
  for (const l of d.loads)
    quality.addRow(province ? [l.file_name, l.load_id, l.kind, l.slice_rows, l.rows_loaded, l.rows_rejected, l.finished_at] : [l.file_name, l.load_id, l.kind, l.slice_rows, l.finished_at]);

  sheet(
    wb,
    names.all,
    [{ header: w.kpiKey, width: 30 }, { header: w.kpi, width: 28 }, { header: w.thisMonth, width: 18 }],
    Object.keys(d.kpis)
      .sort()
      .map((k) => [k, kpiLabel(k, lang), figure(k, d.kpis[k])]),
  ).eachRow((row, n) => {
    if (n > 1) row.getCell(3).numFmt = NUM_FMT[kindOf(String(row.getCell(1).value))];
  });

  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * KPIs one a row: this month ("未上报" when its extract has not arrived), the month before, the change,
 * the same month a year before, the change, and the rank among the cities.
 */
function kpiSheet(wb: ExcelJS.Workbook, d: BriefingData, name: string, keys: readonly string[], lang: Lang, figure: (key: string, v: number | null | undefined) => Cell): void {
  const w = WORDS[lang];
  const t = TEXT[lang];
  const ws = sheet(
    wb,
    name,
    [
      { header: w.kpiKey, width: 24 },
      { header: w.kpi, width: 20 },
      { header: w.thisMonth, width: 16 },
      { header: w.lastMonth, width: 16 },
      { header: t.mom, width: 16 },
      { header: w.sameMonthLastYear, width: 16 },
      { header: t.yoy, width: 16 },
      { header: t.cityRank, width: 12 },
      { header: w.ranked, width: 14 },
    ],
    keys.map((key) => {
      const kind = kindOf(key);
      const rank = d.ranks[key];
      return [
        key,
        kpiLabel(key, lang),
        figure(key, d.kpis[key]),
        num(d.previous?.[key]),
        change(d.kpis[key], d.previous?.[key], kind),
        num(d.lastYear?.[key]),
        change(d.kpis[key], d.lastYear?.[key], kind),
        rank?.rank ?? null,
        rank?.of ?? null,
      ];
    }),
  );
  formatRows(ws, [3, 4, 6], (i) => NUM_FMT[kindOf(keys[i]!)]);
  formatRows(ws, [5, 7], (i) => (kindOf(keys[i]!) === 'ratio' ? POINTS_FMT[lang] : RELATIVE_FMT));
}

/**
 * 考核目标: one row per KPI with a target — the period it is for, the target, the month's actual
 * ("未上报" when its extract has not arrived), for annual additive targets the year to date, its
 * months, time progress, completion and the gap in points, then attainment, status (a word on its
 * colour) and weight — then the score and, for a city, its rank among the cities. The province's
 * workbook adds the cities' league as a sheet of its own; a city's holds no other city.
 */
function targetsSheet(wb: ExcelJS.Workbook, d: BriefingData, lang: Lang, figure: (key: string, v: number | null | undefined) => Cell): void {
  const w = WORDS[lang];
  const t = TEXT[lang].targets;
  const c = t.columns;
  const { rows, score, rank, ranked, league } = d.targets;
  const ws = sheet(
    wb,
    SHEET_NAMES[lang].targets,
    [
      { header: w.kpiKey, width: 24 },
      { header: c.kpi, width: 20 },
      { header: c.period, width: 12 },
      { header: c.target, width: 18 },
      { header: c.actual, width: 18 },
      { header: c.ytd, width: 18 },
      { header: w.monthsCovered, width: 10 },
      { header: c.timeProgress, width: 12, fmt: NUM_FMT.ratio },
      { header: c.completion, width: 12, fmt: NUM_FMT.ratio },
      { header: w.gapPoints, width: 14, fmt: POINTS_FMT[lang] },
      { header: c.attainment, width: 12, fmt: NUM_FMT.ratio },
      { header: c.status, width: 12 },
      { header: c.weight, width: 8 },
    ],
    rows.length === 0
      ? [[t.none]]
      : rows.map((r) => [
          r.kpi,
          kpiLabel(r.kpi, lang),
          targetPeriodText(r.target_period, lang),
          r.target,
          figure(r.kpi, r.actual),
          num(r.ytd),
          r.months_covered,
          num(r.time_progress),
          num(r.completion),
          r.gap === null ? null : Math.round(r.gap * 1e6) / 1e4,
          num(r.attainment),
          t.status[r.status],
          r.weight,
        ]),
  );
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2);
    for (const col of [4, 5, 6]) row.getCell(col).numFmt = NUM_FMT[kindOf(r.kpi)];
    const status = row.getCell(12);
    status.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: statusArgb(r.status) } };
    status.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  });
  if (rows.length === 0) return leagueSheet();
  ws.addRow([]);
  ws.addRow([w.score, null, null, score]).getCell(4).numFmt = '0.00';
  if (d.region !== 'ALL') {
    ws.addRow([w.rank, null, null, rank]);
    ws.addRow([w.ranked, null, null, ranked]);
  }
  leagueSheet();

  function leagueSheet(): void {
    if (league.length === 0) return;
    const lc = t.leagueColumns;
    sheet(
      wb,
      SHEET_NAMES[lang].league,
      [{ header: lc.rank, width: 8 }, { header: w.cityCode, width: 10 }, { header: lc.city, width: 12 }, { header: lc.score, width: 12, fmt: '0.00' }],
      league.map((r) => [r.rank, r.region_code, lang === 'zh' ? r.name_zh : (r.name_en ?? r.name_zh), r.score]),
    );
  }
}
