// The briefing as a print-ready A4 PDF: cover and headline figures (tiles coloured by their target's
// status), the targets page (考核目标) and the commentary (问题与建议), then
// convergence and revenue, the customer groups, channels, service quality with the month's escalated
// complaints, and the data-quality note. A pure function of BriefingData and a language (it runs in a
// worker thread as well as in the CLI); charts are vector graphics from the dashboard's specs, every
// text in the embedded Noto Sans SC subset (which has the Latin letters of the English edition too).
import PDFDocument from 'pdfkit';
import { formatChange, formatFull, formatPeriod, formatValue, MISSING, NOT_REPORTED, type Lang } from '../charts/format.ts';
import { enumCodes, enumLabel, isImprovement, kpiLabel, kpiUnit } from '../charts/labels.ts';
import type { KpiUnit } from '../domain/kpi-catalogue.ts';
import { CHANNEL_KEYS, COMPLAINT_KEYS, HEADLINE_KEYS, PDF_ESCALATED, QUALITY_KEYS, SERVICE_CODES, SERVICE_COLUMNS, TABLES } from './briefing.ts';
import { extractName, extractStatus, kindOf, notReported, regionLabel, type BreakdownDimension, type BriefingData } from './briefing.ts';
import { briefingCharts } from './charts.ts';
import { commentary } from './commentary.ts';
import { registerFonts } from './fonts.ts';
import { COLORS, CONTENT_WIDTH, Flow, PAGE, decoratePages } from './pdf-kit.ts';
import { renderChartSvg } from './render-chart.ts';
import { TEXT } from './text.ts';
import { STATUS_COLORS, actualText, attainmentText, figureText, gapText, targetOf, targetPeriodText } from './target-figures.ts';

const HALF = (CONTENT_WIDTH - 18) / 2;

export function briefingTitle(d: BriefingData, lang: Lang = 'zh'): string {
  return TEXT[lang].title(regionLabel(d, lang), formatPeriod(d.period, lang));
}

export async function renderPdf(d: BriefingData, lang: Lang = 'zh'): Promise<Uint8Array> {
  const t = TEXT[lang];
  const defs = briefingCharts(d, CONTENT_WIDTH, HALF, lang);
  const svgs: Record<string, string> = {};
  for (const [id, def] of Object.entries(defs)) svgs[id] = await renderChartSvg(def.spec, { labelRoom: def.labelRoom });
  const chart = (id: string) => ({ svg: svgs[id]!, title: defs[id]!.title, height: defs[id]!.height });

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    pdfVersion: '1.7',
    lang: lang === 'zh' ? 'zh-CN' : 'en-GB',
    displayTitle: true,
    info: { Title: briefingTitle(d, lang), Author: t.platform, Subject: `${d.region} ${d.period}`, CreationDate: parseShanghai(d.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  registerFonts(doc);
  const flow = new Flow(doc);

  cover(flow, d, lang);
  headline(flow, d, lang);
  // The province compares the cities; a city's briefing holds only its own ranks among them.
  if (d.region === 'ALL') flow.chartRow([chart('cities')]);
  else rankTable(flow, d, lang);
  // The targets and the commentary on a page of their own, right after the figures they speak of.
  flow.newPage();
  targetsSection(flow, d, lang);
  commentarySection(flow, d, lang);

  flow.newPage();
  flow.heading(t.growth, t.growthNote);
  flow.chartRow([chart('convergence'), chart('churn')]);
  flow.chartRow([chart('revenue')]);
  const serviceTop = flow.y;
  flow.table(
    [t.service, ...SERVICE_COLUMNS.map((c) => c.label[lang])],
    SERVICE_CODES.map((s) => [enumLabel('service', s, lang), ...SERVICE_COLUMNS.map((c) => full(d, `${c.field}_${s}`, d.kpis[`${c.field}_${s}`], c.kind, lang))]),
    { width: HALF },
  );
  const afterTable = flow.y;
  flow.y = serviceTop;
  flow.chart(svgs.arpu!, defs.arpu!.title, PAGE.margin + HALF + 18, serviceTop - 2, HALF, defs.arpu!.height);
  flow.y = Math.max(afterTable, serviceTop + defs.arpu!.height + 20);

  flow.newPage();
  flow.heading(t.segments, t.segmentsNote);
  flow.chartRow([chart('segment-revenue'), chart('segment-convergence')]);
  breakdownTable(flow, d, 'segment', lang);

  flow.newPage();
  flow.heading(t.channels, t.channelsNote);
  tiles(flow, d, CHANNEL_KEYS, lang, true);
  flow.chartRow([chart('mix'), chart('productivity')]);
  flow.chartRow([chart('converged-adds'), chart('commission')]);
  breakdownTable(flow, d, 'channel_type', lang);

  flow.newPage();
  flow.heading(t.quality, t.qualityNote);
  tiles(flow, d, COMPLAINT_KEYS, lang, true);
  flow.chartRow([chart('categories'), chart('sources')]);
  flow.chartRow([chart('service-complaints'), chart('overdue')]);
  flow.chartRow([chart('escalated'), chart('sla')]);
  breakdownTable(flow, d, 'category', lang);
  breakdownTable(flow, d, 'source', lang);
  escalatedTable(flow, d, lang);

  quality(flow, d, lang);

  decoratePages(doc, `${regionLabel(d, lang)} · ${formatPeriod(d.period, lang)} · ${t.briefing}`, t.headerRight, t.page);
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

function cover(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang];
  const { doc } = flow;
  const top = 56;
  doc.roundedRect(PAGE.margin, top, CONTENT_WIDTH, 118, 6).fill(COLORS.band);
  flow.text(t.coverKicker, PAGE.margin + 20, top + 16, { size: 9, color: '#bfdbfe' });
  flow.text(t.coverRegion(regionLabel(d, lang), d.region === 'ALL'), PAGE.margin + 20, top + 34, { font: 'bold', size: 26, color: '#ffffff' });
  flow.text(formatPeriod(d.period, lang), PAGE.margin + 20, top + 72, { font: 'bold', size: 15, color: '#ffffff' });
  const facts = [`${t.dataAsOf} ${d.dataAsOf ?? MISSING}`, `${t.generatedAt} ${d.generatedAt}`, `${t.dataVersion} ${d.dataVersion}`];
  facts.forEach((f, i) => flow.text(f, PAGE.margin + 20, top + 16 + i * 14, { size: 8.5, color: '#dbeafe', width: CONTENT_WIDTH - 40, align: 'right' }));
  flow.y = top + 118 + 18;
}

function changeText(d: BriefingData, key: string, base: BriefingData['previous'], label: string, lang: Lang): { text: string; color: string } {
  const change = base ? formatChange(d.kpis[key], base[key], kindOf(key), lang) : null;
  if (!change) return { text: `${label} ${MISSING}`, color: COLORS.muted };
  const good = isImprovement(key, change.direction);
  return { text: `${label} ${change.text}`, color: good === null ? COLORS.muted : good ? COLORS.good : COLORS.warn };
}

/** Twelve tiles: value as the board shows it, month-over-month, year-over-year, rank among cities. */
function headline(flow: Flow, d: BriefingData, lang: Lang): void {
  const of = Math.max(0, ...Object.values(d.ranks).map((r) => r?.of ?? 0));
  flow.heading(TEXT[lang].headline, TEXT[lang].headlineNote(d.region === 'ALL' ? null : of));
  tiles(flow, d, HEADLINE_KEYS, lang);
}

/** A city's place among the cities for the headline keys: its own figure and rank, no other city's. */
function rankTable(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang];
  flow.ensure(80);
  flow.text(t.rankTitle(regionLabel(d, lang)), PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  const w = CONTENT_WIDTH;
  flow.table(
    [t.indicator, regionLabel(d, lang), t.cityRank],
    HEADLINE_KEYS.map((key) => {
      const rank = d.ranks[key];
      return [kpiLabel(key, lang), full(d, key, d.kpis[key], kindOf(key), lang), rank ? t.rank(rank.rank, rank.of) : MISSING];
    }),
    { widths: [w * 0.45, w * 0.3, w * 0.25], size: 7.8 },
  );
}

/**
 * 考核目标: the score (and for a city its rank among the cities), then each KPI with a target: the
 * target and the period it is for, the month's actual, for annual additive targets the year to date
 * against time progress (completion and gap), the attainment and the status in its colour, the weight.
 * The province's page adds the cities' league; a city's names no other city.
 */
function targetsSection(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang].targets;
  flow.heading(t.heading, t.note);
  if (d.targets.rows.length === 0) flow.paragraph(t.none, { color: COLORS.muted });
  else targetTable(flow, d, lang);
  const { league } = d.targets;
  if (league.length === 0) return;
  const w = CONTENT_WIDTH;
  flow.ensure(80);
  flow.text(t.league, PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  const lc = t.leagueColumns;
  flow.table(
    [lc.rank, lc.city, lc.score],
    league.map((r) => [r.rank === null ? MISSING : String(r.rank), lang === 'zh' ? r.name_zh : (r.name_en ?? r.name_zh), r.score === null ? MISSING : r.score.toFixed(2)]),
    { widths: [w * 0.2, w * 0.5, w * 0.3], size: 7.8 },
  );
}

/** The score line and one row per KPI with a target, attainment and status in the status's colour. */
function targetTable(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang].targets;
  const c = t.columns;
  const { score, rank, ranked, rows } = d.targets;
  flow.text(score === null ? t.noScore : t.score(score.toFixed(2), rank, ranked), PAGE.margin, flow.y, { font: 'bold', size: 13, color: COLORS.accent });
  flow.y += 24;
  const w = CONTENT_WIDTH;
  flow.table(
    [c.kpi, c.period, c.target, c.actual, c.ytd, c.timeProgress, c.completion, c.gap, c.attainment, c.status, c.weight],
    rows.map((r) => [
      kpiLabel(r.kpi, lang),
      targetPeriodText(r.target_period, lang),
      figureText(r.kpi, r.target),
      actualText(d, r, lang),
      r.ytd === null ? MISSING : figureText(r.kpi, r.ytd),
      formatValue(r.time_progress, 'ratio', lang),
      formatValue(r.completion, 'ratio', lang),
      gapText(r, lang),
      attainmentText(r),
      t.status[r.status],
      r.weight === null ? MISSING : String(r.weight),
    ]),
    {
      widths: [0.15, 0.09, 0.13, 0.1, 0.13, 0.07, 0.07, 0.08, 0.07, 0.07, 0.04].map((f) => f * w),
      size: 7,
      cellColor: (i, col) => (col === 8 || col === 9 ? STATUS_COLORS[rows[i]!.status] : undefined),
    },
  );
}

/** 问题与建议: highlights, issues (each a sentence of facts) and the actions, numbered (commentary.ts). */
function commentarySection(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang];
  const c = commentary(d, lang);
  flow.heading(t.commentary, t.commentaryNote);
  const block = (title: string, lines: readonly string[], color: string) => {
    flow.ensure(40);
    flow.text(title, PAGE.margin, flow.y, { font: 'bold', size: 9.5, color });
    flow.y += 15;
    if (lines.length === 0) flow.paragraph(t.none, { color: COLORS.muted });
    lines.forEach((line, i) => flow.paragraph(`${i + 1}. ${line}`, { color: COLORS.text }));
    flow.y += 4;
  };
  block(t.issues, c.issues, COLORS.warn);
  block(t.suggestions, c.suggestions, COLORS.accent);
  block(t.highlights, c.highlights, COLORS.good);
}

/**
 * KPI tiles, four a row: the catalogue's label, the value as the board shows it ("未上报" when its
 * extract has not arrived — never 0), month-over-month, year-over-year (not on `compact` tiles, the
 * sections' own) and the rank among the cities.
 */
function tiles(flow: Flow, d: BriefingData, keys: readonly string[], lang: Lang, compact = false): void {
  const t = TEXT[lang];
  const cols = 4;
  const gap = 8;
  const w = (CONTENT_WIDTH - gap * (cols - 1)) / cols;
  // Headline tiles of KPIs with targets get a line more: the target and its attainment.
  const withTargets = !compact && keys.some((k) => targetOf(d, k));
  const h = compact ? 54 : withTargets ? 77 : 66;
  const height = Math.ceil(keys.length / cols) * (h + gap);
  flow.ensure(height);
  keys.forEach((key, i) => {
    const x = PAGE.margin + (i % cols) * (w + gap);
    const y = flow.y + Math.floor(i / cols) * (h + gap);
    // A KPI with a target: the tile's frame and its attainment in the status's colour.
    const target = targetOf(d, key);
    const judged = target && target.status !== 'none' ? target : undefined;
    if (judged) flow.doc.roundedRect(x, y, w, h, 4).lineWidth(1.6).strokeColor(STATUS_COLORS[judged.status]).stroke();
    else flow.doc.roundedRect(x, y, w, h, 4).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    flow.text(kpiLabel(key, lang), x + 8, y + 7, { size: 8, color: COLORS.muted, width: w - 16 });
    const value = d.kpis[key] ?? null;
    const missing = notReported(d, key, value);
    flow.text(missing ? NOT_REPORTED[lang] : formatValue(value, kindOf(key), lang), x + 8, y + 19, {
      font: 'bold',
      size: 15,
      width: w - 16,
      ...(missing ? { color: COLORS.warn } : {}),
    });
    const unit = kpiUnit(key, lang);
    if (unit && !missing) flow.text(unit, x + 8, y + 19, { size: 7, color: COLORS.muted, width: w - 16, align: 'right' });
    const mom = changeText(d, key, d.previous, t.mom, lang);
    const yoy = changeText(d, key, d.lastYear, t.yoy, lang);
    flow.text(mom.text, x + 8, y + 40, { size: 7.2, color: mom.color, width: w - 16 });
    if (!compact) flow.text(yoy.text, x + 8, y + 51, { size: 7.2, color: yoy.color, width: w - 16 });
    if (target && !compact) {
      const color = STATUS_COLORS[target.status];
      flow.text(`${t.targets.columns.target} ${formatValue(target.target, kindOf(key), lang)}`, x + 8, y + 62, { size: 7.2, color: COLORS.muted, width: w - 16 });
      flow.text(t.targets.tile(attainmentText(target)), x + 8, y + 62, { size: 7.2, color, width: w - 16, align: 'right' });
    }
    const rank = d.ranks[key];
    if (rank) flow.text(t.rank(rank.rank, rank.of), x + 8, y + 40, { size: 7.2, color: COLORS.text, width: w - 16, align: 'right' });
  });
  flow.y += height + 10;
}

/** A table cell: the full figure, or "未上报" when its extract has not arrived. */
function full(d: BriefingData, sourceKey: string, value: number | null | undefined, kind: KpiUnit, lang: Lang): string {
  return notReported(d, sourceKey, value) ? NOT_REPORTED[lang] : formatFull(value, kind);
}

function breakdownTable(flow: Flow, d: BriefingData, dimension: BreakdownDimension, lang: Lang): void {
  const t = TEXT[lang];
  const byCode = new Map(d.breakdowns[dimension].map((r) => [r.code, r.values]));
  flow.ensure(80);
  flow.text(t.tables[dimension], PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  flow.table(
    [t.dimension[dimension], ...TABLES[dimension].columns.map((c) => c.label[lang])],
    enumCodes(dimension).map((code) => [
      enumLabel(dimension, code, lang),
      ...TABLES[dimension].columns.map((c) => full(d, c.sourceKey, byCode.get(code)?.[c.field], c.kind, lang)),
    ]),
  );
}

/** The month's escalated complaints, oldest first (the first PDF_ESCALATED; the XLSX has them all). */
function escalatedTable(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang];
  const c = t.escalatedColumns;
  flow.ensure(80);
  const list = d.escalated;
  flow.text(t.escalated, PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  if (list) flow.text(t.escalatedNote(list.total, Math.min(list.total, PDF_ESCALATED)), PAGE.margin, flow.y + 1.5, { size: 8, color: COLORS.muted, width: CONTENT_WIDTH, align: 'right' });
  flow.y += 16;
  if (list === null) return flow.paragraph(t.escalatedNotReported, { color: COLORS.warn });
  if (list.total === 0) return flow.paragraph(t.escalatedNone, { color: COLORS.muted });
  const province = d.region === 'ALL';
  const w = CONTENT_WIDTH;
  flow.table(
    [c.id, c.received, ...(province ? [c.city] : []), c.category, c.source, c.status],
    list.rows.slice(0, PDF_ESCALATED).map((r) => [
      r.complaint_id,
      r.received_at,
      ...(province ? [d.cityNames[r.region_code]?.[lang] ?? r.region_code] : []),
      enumLabel('category', r.category, lang),
      enumLabel('source', r.source, lang),
      t.status[r.status],
    ]),
    { widths: province ? [w * 0.2, w * 0.2, w * 0.12, w * 0.16, w * 0.16, w * 0.16] : [w * 0.22, w * 0.22, w * 0.18, w * 0.19, w * 0.19], size: 7.8 },
  );
}

function quality(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang].dataNote;
  flow.ensure(220);
  flow.heading(t.heading, t.note);
  const rejected = d.region === 'ALL' ? d.loads.reduce((sum, l) => sum + (l.rows_rejected ?? 0), 0) : null;
  flow.paragraph(t.intro(d.dataVersion) + (d.region === 'ALL' ? '' : (lang === 'zh' ? '' : ' ') + t.cityRows(regionLabel(d, lang))), { color: COLORS.muted });
  missingNote(flow, d, lang);
  flow.table(
    [t.indicator, t.month],
    [
      ...(rejected === null ? [] : [[t.rejectedTotal, formatFull(rejected, 'count')]]),
      ...QUALITY_KEYS.map((k) => [kpiLabel(k, lang), full(d, k, d.kpis[k], 'count', lang)]),
    ],
    { widths: [CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4] },
  );
  flow.ensure(60);
  flow.text(t.loadsTitle(formatPeriod(d.period, lang), d.loads.length), PAGE.margin, flow.y, { font: 'bold', size: 9.5 });
  flow.y += 16;
  const w = CONTENT_WIDTH;
  const c = t.loadColumns;
  flow.table(
    [c.file, c.load, c.kind, c.sliceRows, c.rejected, c.finished],
    d.loads.map((l) => [
      l.file_name,
      String(l.load_id),
      extractName(l.kind, lang),
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
function missingNote(flow: Flow, d: BriefingData, lang: Lang): void {
  const t = TEXT[lang].dataNote;
  const status = extractStatus(d, lang);
  const missing = status.filter((s) => s.missing.length > 0);
  if (missing.length === 0) {
    flow.paragraph(t.allReported(status.map((s) => s.name)), { color: COLORS.muted });
    return;
  }
  const text =
    d.region === 'ALL'
      ? t.provinceMissing(
          missing.map((s) => t.kindMissing(s.name, s.missing)),
          NOT_REPORTED[lang],
        )
      : t.cityMissing(
          missing.map((s) => s.name),
          regionLabel(d, lang),
          NOT_REPORTED[lang],
        );
  flow.paragraph(text, { color: COLORS.warn });
}

/** 'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai → Date. */
function parseShanghai(s: string): Date {
  return new Date(`${s.replace(' ', 'T')}+08:00`);
}
