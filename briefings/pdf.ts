// The briefing as a print-ready A4 PDF: cover and headline figures, then convergence and revenue,
// channels, service quality, and the data-quality note. A pure function of BriefingData (it runs in
// a worker thread as well as in the CLI); charts are vector graphics from the dashboard's specs,
// every text in the embedded Noto Sans SC subset.
import PDFDocument from 'pdfkit';
import { formatChange, formatFull, formatPeriod, formatValue, MISSING, NOT_REPORTED } from '../charts/format.ts';
import { enumCodes, enumLabel, isImprovement, kpiLabel, kpiUnit } from '../charts/labels.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, QUALITY_KEYS, SERVICE_CODES, SERVICE_COLUMNS, TABLES } from './briefing.ts';
import { extractName, extractStatus, kindOf, notReported, type BreakdownDimension, type BriefingData } from './briefing.ts';
import { briefingCharts } from './charts.ts';
import { registerFonts } from './fonts.ts';
import { COLORS, CONTENT_WIDTH, Flow, PAGE, decoratePages } from './pdf-kit.ts';
import { renderChartSvg } from './render-chart.ts';

const HALF = (CONTENT_WIDTH - 18) / 2;

export function briefingTitle(d: BriefingData): string {
  return `${d.regionZh} ${formatPeriod(d.period, 'zh')} 月度经营简报`;
}

export async function renderPdf(d: BriefingData): Promise<Uint8Array> {
  const defs = briefingCharts(d, CONTENT_WIDTH, HALF);
  const svgs: Record<string, string> = {};
  for (const [id, def] of Object.entries(defs)) svgs[id] = await renderChartSvg(def.spec, { labelRoom: def.labelRoom });
  const chart = (id: string) => ({ svg: svgs[id]!, title: defs[id]!.title, height: defs[id]!.height });

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: briefingTitle(d), Author: '全业务运营分析平台', Subject: `${d.region} ${d.period}`, CreationDate: parseShanghai(d.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  registerFonts(doc);
  const flow = new Flow(doc);

  cover(flow, d);
  headline(flow, d);
  // The province compares the cities; a city's briefing holds only its own ranks among them.
  if (d.region === 'ALL') flow.chartRow([chart('cities')]);
  else rankTable(flow, d);

  flow.newPage();
  flow.heading('融合发展与收入', '融合渗透率、离网率与分业务收入');
  flow.chartRow([chart('convergence'), chart('churn')]);
  flow.chartRow([chart('revenue')]);
  const serviceTop = flow.y;
  flow.table(
    ['业务', ...SERVICE_COLUMNS.map((c) => c.zh)],
    SERVICE_CODES.map((s) => [enumLabel('service', s, 'zh'), ...SERVICE_COLUMNS.map((c) => full(d, `${c.field}_${s}`, d.kpis[`${c.field}_${s}`], c.kind))]),
    { width: HALF },
  );
  const afterTable = flow.y;
  flow.y = serviceTop;
  flow.chart(svgs.arpu!, defs.arpu!.title, PAGE.margin + HALF + 18, serviceTop - 2, HALF, defs.arpu!.height);
  flow.y = Math.max(afterTable, serviceTop + defs.arpu!.height + 20);

  flow.newPage();
  flow.heading('渠道发展', '排他与非排他社会渠道并列：排他是否依赖酬金优势？');
  tiles(flow, d, CHANNEL_KEYS, true);
  flow.chartRow([chart('mix'), chart('productivity')]);
  flow.chartRow([chart('converged-adds'), chart('commission')]);
  breakdownTable(flow, d, 'channel_type');

  flow.newPage();
  flow.heading('服务质量', '服务先行：万户投诉率、越级投诉、超时未办结与申诉');
  tiles(flow, d, COMPLAINT_KEYS, true);
  flow.chartRow([chart('categories'), chart('sources')]);
  flow.chartRow([chart('service-complaints'), chart('overdue')]);
  flow.chartRow([chart('escalated'), chart('sla')]);
  breakdownTable(flow, d, 'category');
  breakdownTable(flow, d, 'source');

  quality(flow, d);

  decoratePages(doc, `${d.regionZh} · ${formatPeriod(d.period, 'zh')} · 月度经营简报`, '全业务运营分析平台 · 内部资料');
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

function cover(flow: Flow, d: BriefingData): void {
  const { doc } = flow;
  const top = 56;
  doc.roundedRect(PAGE.margin, top, CONTENT_WIDTH, 118, 6).fill(COLORS.band);
  flow.text('月度经营简报 · MONTHLY OPERATING BRIEFING', PAGE.margin + 20, top + 16, { size: 9, color: '#bfdbfe' });
  flow.text(d.region === 'ALL' ? `浙江省 · ${d.regionZh}` : `${d.regionZh}分公司`, PAGE.margin + 20, top + 34, { font: 'bold', size: 26, color: '#ffffff' });
  flow.text(formatPeriod(d.period, 'zh'), PAGE.margin + 20, top + 72, { font: 'bold', size: 15, color: '#ffffff' });
  const facts = [`数据截至 ${d.dataAsOf ?? MISSING}`, `生成于 ${d.generatedAt}`, `数据版本 ${d.dataVersion}`];
  facts.forEach((f, i) => flow.text(f, PAGE.margin + 20, top + 16 + i * 14, { size: 8.5, color: '#dbeafe', width: CONTENT_WIDTH - 40, align: 'right' }));
  flow.y = top + 118 + 18;
}

function changeText(d: BriefingData, key: string, base: BriefingData['previous'], label: string): { text: string; color: string } {
  const change = base ? formatChange(d.kpis[key], base[key], kindOf(key), 'zh') : null;
  if (!change) return { text: `${label} ${MISSING}`, color: COLORS.muted };
  const good = isImprovement(key, change.direction);
  return { text: `${label} ${change.text}`, color: good === null ? COLORS.muted : good ? COLORS.good : COLORS.warn };
}

/** Twelve tiles: value as the board shows it, month-over-month, year-over-year, rank among cities. */
function headline(flow: Flow, d: BriefingData): void {
  const of = Math.max(0, ...Object.values(d.ranks).map((r) => r?.of ?? 0));
  flow.heading('核心指标', d.region === 'ALL' ? '环比、同比' : `环比、同比与在${of}个地市中的排名`);
  tiles(flow, d, HEADLINE_KEYS);
}

/** A city's place among the cities for the headline keys: its own figure and rank, no other city's. */
function rankTable(flow: Flow, d: BriefingData): void {
  flow.ensure(80);
  flow.text(`${d.regionZh}在各地市中的排名（第1名为按指标方向最优）`, PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  const w = CONTENT_WIDTH;
  flow.table(
    ['指标', d.regionZh, '地市排名'],
    HEADLINE_KEYS.map((key) => {
      const rank = d.ranks[key];
      return [kpiLabel(key, 'zh'), full(d, key, d.kpis[key], kindOf(key)), rank ? `第 ${rank.rank} / ${rank.of} 名` : MISSING];
    }),
    { widths: [w * 0.45, w * 0.3, w * 0.25], size: 7.8 },
  );
}

/**
 * KPI tiles, four a row: the catalogue's label, the value as the board shows it ("未上报" when its
 * extract has not arrived — never 0), month-over-month, year-over-year (not on `compact` tiles, the
 * sections' own) and the rank among the cities.
 */
function tiles(flow: Flow, d: BriefingData, keys: readonly string[], compact = false): void {
  const cols = 4;
  const gap = 8;
  const w = (CONTENT_WIDTH - gap * (cols - 1)) / cols;
  const h = compact ? 54 : 66;
  const height = Math.ceil(keys.length / cols) * (h + gap);
  flow.ensure(height);
  keys.forEach((key, i) => {
    const x = PAGE.margin + (i % cols) * (w + gap);
    const y = flow.y + Math.floor(i / cols) * (h + gap);
    flow.doc.roundedRect(x, y, w, h, 4).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    flow.text(kpiLabel(key, 'zh'), x + 8, y + 7, { size: 8, color: COLORS.muted, width: w - 16 });
    const value = d.kpis[key] ?? null;
    const missing = notReported(d, key, value);
    flow.text(missing ? NOT_REPORTED.zh : formatValue(value, kindOf(key), 'zh'), x + 8, y + 19, {
      font: 'bold',
      size: 15,
      width: w - 16,
      ...(missing ? { color: COLORS.warn } : {}),
    });
    const unit = kpiUnit(key, 'zh');
    if (unit && !missing) flow.text(unit, x + 8, y + 19, { size: 7, color: COLORS.muted, width: w - 16, align: 'right' });
    const mom = changeText(d, key, d.previous, '环比');
    const yoy = changeText(d, key, d.lastYear, '同比');
    flow.text(mom.text, x + 8, y + 40, { size: 7.2, color: mom.color, width: w - 16 });
    if (!compact) flow.text(yoy.text, x + 8, y + 51, { size: 7.2, color: yoy.color, width: w - 16 });
    const rank = d.ranks[key];
    if (rank) flow.text(`第${rank.rank}/${rank.of}名`, x + 8, y + 40, { size: 7.2, color: COLORS.text, width: w - 16, align: 'right' });
  });
  flow.y += height + 10;
}

/** A table cell: the full figure, or "未上报" when its extract has not arrived. */
function full(d: BriefingData, sourceKey: string, value: number | null | undefined, kind: KpiUnit): string {
  return notReported(d, sourceKey, value) ? NOT_REPORTED.zh : formatFull(value, kind);
}

function breakdownTable(flow: Flow, d: BriefingData, dimension: BreakdownDimension): void {
  const t = TABLES[dimension];
  const byCode = new Map(d.breakdowns[dimension].map((r) => [r.code, r.values]));
  flow.ensure(80);
  flow.text(t.title, PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  flow.table(
    [dimension === 'channel_type' ? '渠道类型' : dimension === 'category' ? '类别' : '来源', ...t.columns.map((c) => c.zh)],
    enumCodes(dimension).map((code) => [enumLabel(dimension, code, 'zh'), ...t.columns.map((c) => full(d, c.sourceKey, byCode.get(code)?.[c.field], c.kind))]),
  );
}

function quality(flow: Flow, d: BriefingData): void {
  flow.ensure(220);
  flow.heading('数据质量说明', '本简报数字背后的数据');
  const rejected = d.region === 'ALL' ? d.loads.reduce((sum, l) => sum + (l.rows_rejected ?? 0), 0) : null;
  flow.paragraph(
    `本简报的全部数字取自与看板相同的指标查询（数据版本 ${d.dataVersion}），下列数据质量指标供解读时参考：` +
      `拒收行为相关文件中未通过校验而未入库的行；未归属渠道的新增无法计入任何渠道；` +
      `消失的业务是上月在网、本月各地市用户清单中均未出现的业务，不计为离网。` +
      (d.region === 'ALL' ? '' : `下表只列${d.regionZh}的行数：覆盖多个地市的文件，其拒收行与入库总行数不属本市，本简报不列。`),
    { color: COLORS.muted },
  );
  missingNote(flow, d);
  flow.table(
    ['数据质量指标', '本月'],
    [
      ...(rejected === null ? [] : [['拒收行（相关文件合计）', formatFull(rejected, 'count')]]),
      ...QUALITY_KEYS.map((k) => [kpiLabel(k, 'zh'), full(d, k, d.kpis[k], 'count')]),
    ],
    { widths: [CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4] },
  );
  flow.ensure(60);
  flow.text(`数字背后的数据批次（${formatPeriod(d.period, 'zh')}，${d.loads.length} 个）`, PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  const w = CONTENT_WIDTH;
  flow.table(
    ['文件', '批次', '类型', '本简报行数', '拒收行', '入库时间'],
    d.loads.map((l) => [
      l.file_name,
      String(l.load_id),
      extractName(l.kind),
      formatFull(l.slice_rows, 'count'),
      l.rows_rejected === null ? MISSING : formatFull(l.rows_rejected, 'count'),
      l.finished_at ?? MISSING,
    ]),
    { widths: [w * 0.34, w * 0.08, w * 0.08, w * 0.14, w * 0.11, w * 0.25], size: 7.8 },
  );
}

/**
 * Which extracts of the month have not arrived: for a city, the kinds it lacks; for the province, each
 * kind with the cities lacking it (the province's figures cover the cities that sent it).
 */
function missingNote(flow: Flow, d: BriefingData): void {
  const status = extractStatus(d);
  const missing = status.filter((s) => s.missing.length > 0);
  if (missing.length === 0) {
    flow.paragraph(`本月${status.map((s) => s.name).join('、')}均已上报。`, { color: COLORS.muted });
    return;
  }
  const text =
    d.region === 'ALL'
      ? `部分地市的清单本月尚未到达（${NOT_REPORTED.en}）——` +
        missing.map((s) => `${s.name}${NOT_REPORTED.zh}：${s.missing.join('、')}`).join('；') +
        `。全省数字只含已上报清单的地市，缺少的地市不计为 0；这些地市的相关数字显示为“${NOT_REPORTED.zh}”。`
      : missing.map((s) => `${s.name}${NOT_REPORTED.zh}`).join('、') +
        `（${NOT_REPORTED.en}）：${d.regionZh}本月依赖这些清单的指标显示为“${NOT_REPORTED.zh}”，不是 0；清单到达并入库后本简报将重新生成。`;
  flow.paragraph(text, { color: COLORS.warn });
}

/** 'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai → Date. */
function parseShanghai(s: string): Date {
  return new Date(`${s.replace(' ', 'T')}+08:00`);
}
