// The briefing's figures as a workbook: one sheet per section, Chinese sheet names, every figure a
// number cell with a number format (percentages, ¥, counts), so that a branch can calculate with
// them; the values are the query layer's, unrounded — the format only changes how Excel shows them.
import ExcelJS from 'exceljs';
import { NOT_REPORTED, formatPeriod } from '../charts/format.ts';
import { enumCodes, enumLabel, kpiLabel } from '../charts/labels.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, COMPARISON_KEY, COMPLAINTS_BY_SERVICE, HEADLINE_KEYS, QUALITY_KEYS, SERIES_KEYS, SERVICE_CODES, SERVICE_COLUMNS, TABLES } from './briefing.ts';
import { extractStatus, kindOf, notReported, type BreakdownDimension, type BriefingData } from './briefing.ts';

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
const POINTS_FMT = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"';
const RELATIVE_FMT = '+0.0%;-0.0%;0.0%';

export const SHEETS = {
  cover: '封面',
  headline: '核心指标',
  channelFocus: '排他与非排他渠道',
  complaintFocus: '投诉处理与申诉',
  trends: '近12个月趋势',
  services: '分业务',
  channels: '渠道效能',
  categories: '投诉类别',
  sources: '投诉来源',
  cities: '各地市对比',
  quality: '数据质量',
  all: '全部指标',
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

/** This month's figure of `key`: the number, or the text "未上报" when its extract has not arrived (never 0). */
const figure = (d: BriefingData, key: string, v: number | null | undefined): Cell => (notReported(d, key, v) ? NOT_REPORTED.zh : num(v));

function change(cur: number | null | undefined, prev: number | null | undefined, kind: KpiUnit): number | null {
  if (cur == null || prev == null) return null;
  if (kind === 'ratio') return (cur - prev) * 100;
  return prev === 0 ? null : (cur - prev) / Math.abs(prev);
}

export async function renderXlsx(d: BriefingData): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '全业务运营分析平台';
  wb.title = `${d.regionZh} ${formatPeriod(d.period, 'zh')} 月度经营简报`;
  wb.created = new Date(`${d.generatedAt.replace(' ', 'T')}+08:00`);

  sheet(wb, SHEETS.cover, [{ header: '项目', width: 16 }, { header: '内容', width: 44 }], [
    ['简报', `${d.regionZh} 月度经营简报`],
    ['地区编码', d.region],
    ['地区', d.regionZh],
    ['月份', d.period],
    ['数据截至', d.dataAsOf],
    ['生成于', d.generatedAt],
    ['数据版本', d.dataVersion],
    ['未上报的清单', extractStatus(d).flatMap((s) => (s.missing.length ? [s.name] : [])).join('、') || '无'],
  ]);

  kpiSheet(wb, d, SHEETS.headline, HEADLINE_KEYS);
  kpiSheet(wb, d, SHEETS.channelFocus, CHANNEL_KEYS);
  kpiSheet(wb, d, SHEETS.complaintFocus, [...COMPLAINT_KEYS, ...COMPLAINTS_BY_SERVICE]);

  sheet(
    wb,
    SHEETS.trends,
    [{ header: '月份', width: 10 }, ...SERIES_KEYS.map((k) => ({ header: kpiLabel(k, 'zh'), width: 16, fmt: NUM_FMT[kindOf(k)] }))],
    d.periods.map((p, i) => [p, ...SERIES_KEYS.map((k) => num(d.series[k]?.[i]))]),
  );

  sheet(
    wb,
    SHEETS.services,
    [{ header: '业务', width: 12 }, ...SERVICE_COLUMNS.map((c) => ({ header: c.zh, width: 18, fmt: NUM_FMT[c.kind] }))],
    SERVICE_CODES.map((s) => [enumLabel('service', s, 'zh'), ...SERVICE_COLUMNS.map((c) => figure(d, `${c.field}_${s}`, d.kpis[`${c.field}_${s}`]))]),
  );

  const breakdown = (name: string, dimension: BreakdownDimension, first: string) => {
    const t = TABLES[dimension];
    const byCode = new Map(d.breakdowns[dimension].map((r) => [r.code, r.values]));
    sheet(
      wb,
      name,
      [{ header: first, width: 16 }, ...t.columns.map((c) => ({ header: c.zh, width: 16, fmt: NUM_FMT[c.kind] }))],
      enumCodes(dimension).map((code) => [enumLabel(dimension, code, 'zh'), ...t.columns.map((c) => figure(d, c.sourceKey, byCode.get(code)?.[c.field]))]),
    );
  };
  breakdown(SHEETS.channels, 'channel_type', '渠道类型');
  breakdown(SHEETS.categories, 'category', '投诉类别');
  breakdown(SHEETS.sources, 'source', '投诉来源');

  // Only the province's workbook compares the cities; a city's holds its own ranks (the rank columns).
  if (d.region === 'ALL')
    sheet(
    wb,
    SHEETS.cities,
    [{ header: '地市编码', width: 10 }, { header: '地市', width: 10 }, { header: kpiLabel(COMPARISON_KEY, 'zh'), width: 14, fmt: NUM_FMT[kindOf(COMPARISON_KEY)] }],
    d.cities.map((c) => [c.region_code, c.name, c.notReported ? NOT_REPORTED.zh : num(c.value)]),
  );

  // A city's: only its own slices' rows (a province-wide file's totals count other cities' rows).
  const province = d.region === 'ALL';
  const rejected = d.loads.reduce((sum, l) => sum + (l.rows_rejected ?? 0), 0);
  const quality = sheet(wb, SHEETS.quality, [{ header: '数据质量指标', width: 30 }, { header: '本月', width: 14, fmt: NUM_FMT.count }], [
    ...(province ? [['拒收行（相关文件合计）', rejected]] : []),
    ...QUALITY_KEYS.map((k): Cell[] => [kpiLabel(k, 'zh'), figure(d, k, d.kpis[k])]),
  ]);
  quality.addRow([]);
  // Which extracts of the month have not arrived: every kind, with the regions lacking it.
  const extractHeader = quality.addRow(['清单', '上报情况', '未上报的地区']);
  extractHeader.font = { bold: true };
  for (const s of extractStatus(d)) quality.addRow(s.missing.length ? [s.name, `${s.name}${NOT_REPORTED.zh}`, s.missing.join('、')] : [s.name, '已上报']);
  quality.addRow([]);
  const loadHeader = quality.addRow(province ? ['文件', '批次', '类型', '本简报行数', '文件入库行数', '拒收行', '入库时间'] : ['文件', '批次', '类型', '本简报行数', '入库时间']);
  loadHeader.font = { bold: true };
  for (const l of d.loads)
    quality.addRow(province ? [l.file_name, l.load_id, l.kind, l.slice_rows, l.rows_loaded, l.rows_rejected, l.finished_at] : [l.file_name, l.load_id, l.kind, l.slice_rows, l.finished_at]);

  sheet(
    wb,
    SHEETS.all,
    [{ header: '指标键', width: 30 }, { header: '指标', width: 20 }, { header: '本月', width: 18 }],
    Object.keys(d.kpis)
      .sort()
      .map((k) => [k, kpiLabel(k, 'zh'), figure(d, k, d.kpis[k])]),
  ).eachRow((row, n) => {
    if (n > 1) row.getCell(3).numFmt = NUM_FMT[kindOf(String(row.getCell(1).value))];
  });

  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * KPIs one a row: this month ("未上报" when its extract has not arrived), the month before, the change,
 * the same month a year before, the change, and the rank among the cities.
 */
function kpiSheet(wb: ExcelJS.Workbook, d: BriefingData, name: string, keys: readonly string[]): void {
  const ws = sheet(
    wb,
    name,
    [
      { header: '指标键', width: 24 },
      { header: '指标', width: 16 },
      { header: '本月', width: 16 },
      { header: '上月', width: 16 },
      { header: '环比', width: 16 },
      { header: '去年同月', width: 16 },
      { header: '同比', width: 16 },
      { header: '地市排名', width: 10 },
      { header: '参与排名地市数', width: 14 },
    ],
    keys.map((key) => {
      const kind = kindOf(key);
      const rank = d.ranks[key];
      return [
        key,
        kpiLabel(key, 'zh'),
        figure(d, key, d.kpis[key]),
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
  formatRows(ws, [5, 7], (i) => (kindOf(keys[i]!) === 'ratio' ? POINTS_FMT : RELATIVE_FMT));
}
