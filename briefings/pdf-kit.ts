// Drawing primitives of the briefing PDF on A4: a cursor that flows down the page and starts a new
// one when a block does not fit, section headings, tables that repeat their header across pages,
// vector charts from SVG, and the running header and page numbers added once all pages exist.
import SVGtoPDF from 'svg-to-pdfkit';
import { PALETTE } from '../charts/theme.ts';
import type { FontName } from './fonts.ts';

export const PAGE = { width: 595.28, height: 841.89, margin: 48, top: 64, bottom: 56 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const COLORS = { ...PALETTE.light, band: '#1e3a8a', zebra: '#f3f6fb', rule: '#d1d5db' } as const;

export type Align = 'left' | 'right' | 'center';

export class Flow {
  y: number = PAGE.top;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  get bottom(): number {
    return PAGE.height - PAGE.bottom;
  }

  /** Starts a new page unless `height` more points fit below the cursor. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = PAGE.top;
  }

  /** One line of text at (x, y), never wrapped and never starting a page by itself. */
  text(s: string, x: number, y: number, o: { font?: FontName; size?: number; color?: string; width?: number; align?: Align } = {}): void {
    const { doc } = this;
    let size = o.size ?? 9;
    doc.font(o.font ?? 'regular').fontSize(size).fillColor(o.color ?? COLORS.text);
    if (o.width !== undefined) {
      // pdfkit wraps text wider than `width` even without line breaks: a long figure is set smaller
      // instead (a table cell must not spill into the next row).
      const natural = doc.widthOfString(s);
      if (natural > o.width) doc.fontSize((size = Math.max(5, (size * o.width) / natural - 0.05)));
    }
    doc.text(s, x, y + ((o.size ?? 9) - size) * 0.7, { lineBreak: false, width: o.width === undefined ? undefined : o.width + 1, align: o.align ?? 'left' });
  }

  /** A paragraph wrapped to the content width; moves the cursor below it. */
  paragraph(s: string, o: { size?: number; color?: string } = {}): void {
    const { doc } = this;
    doc.font('regular').fontSize(o.size ?? 9).fillColor(o.color ?? COLORS.text);
    const height = doc.heightOfString(s, { width: CONTENT_WIDTH, lineGap: 2 });
    this.ensure(height);
    doc.text(s, PAGE.margin, this.y, { width: CONTENT_WIDTH, lineGap: 2 });
    this.y += height + 6;
  }

  heading(title: string, note?: string): void {
    this.ensure(60);
    const { doc } = this;
    doc.rect(PAGE.margin, this.y + 2, 3, 13).fill(COLORS.accent);
    this.text(title, PAGE.margin + 9, this.y, { font: 'bold', size: 12.5 });
    if (note) this.text(note, PAGE.margin, this.y + 2.5, { size: 8, color: COLORS.muted, width: CONTENT_WIDTH, align: 'right' });
    this.y += 24;
  }

  /** A chart (SVG in points) at x, with a small title above it; returns the height used. */
  chart(svg: string, title: string, x: number, y: number, width: number, height: number): number {
    this.text(title, x, y, { size: 9, color: COLORS.text, font: 'bold', width });
    SVGtoPDF(this.doc, svg, x, y + 15, {
      width,
      height,
      assumePt: true,
      // Every family the spec names (theme.ts lists system CJK fonts) is drawn with the embedded one.
      fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'regular'),
    });
    return height + 15;
  }

  /** Charts side by side (one or two), then the cursor below the taller. */
  chartRow(charts: readonly { svg: string; title: string; height: number }[]): void {
    const gap = 18;
    const width = charts.length > 1 ? (CONTENT_WIDTH - gap) / 2 : CONTENT_WIDTH;
    const tallest = Math.max(...charts.map((c) => c.height)) + 15;
    this.ensure(tallest);
    let used = 0;
    charts.forEach((c, i) => {
      used = Math.max(used, this.chart(c.svg, c.title, PAGE.margin + i * (width + gap), this.y, width, c.height));
    });
    this.y += used + 12;
  }

  /**
   * A table: first column left-aligned, the others right-aligned; the header row is drawn again on
   * every page the table runs onto.
   */
  table(
    header: readonly string[],
    rows: readonly string[][],
    o: { widths?: readonly number[]; x?: number; width?: number; size?: number; cellColor?: (row: number, col: number) => string | undefined } = {},
  ): void {
    const x0 = o.x ?? PAGE.margin;
    const total = o.width ?? CONTENT_WIDTH;
    const size = o.size ?? 8.5;
    const rowH = size + 9;
    const first = total * 0.26;
    const widths = o.widths ?? header.map((_, i) => (i === 0 ? first : (total - first) / (header.length - 1)));
    const drawRow = (cells: readonly string[], y: number, head: boolean, zebra: boolean, index = -1) => {
      if (head) this.doc.rect(x0, y, total, rowH).fill(COLORS.band);
      else if (zebra) this.doc.rect(x0, y, total, rowH).fill(COLORS.zebra);
      let x = x0;
      cells.forEach((cell, i) => {
        const w = widths[i] ?? 0;
        this.text(cell, x + 4, y + 4.5, {
          size,
          width: w - 8,
          align: i === 0 ? 'left' : 'right',
          font: head ? 'bold' : 'regular',
          color: head ? '#ffffff' : (o.cellColor?.(index, i) ?? COLORS.text),
        });
        x += w;
      });
    };
    this.ensure(rowH * Math.min(rows.length + 1, 4));
    drawRow(header, this.y, true, false);
    this.y += rowH;
    rows.forEach((row, i) => {
      if (this.y + rowH > this.bottom) {
        this.newPage();
        drawRow(header, this.y, true, false);
        this.y += rowH;
      }
      drawRow(row, this.y, false, i % 2 === 1, i);
      this.y += rowH;
    });
    this.doc.moveTo(x0, this.y).lineTo(x0 + total, this.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    this.y += 12;
  }
}

/** Running header (region and month) and the page number ("第 n 页 / 共 N 页") on every page, once the page count is known. */
export function decoratePages(doc: PDFKit.PDFDocument, headerLeft: string, headerRight: string, pageLabel: (n: number, total: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit start a page; the margin is lifted meanwhile.
    const margins = { ...doc.page.margins };
    doc.page.margins.bottom = 0;
    doc.page.margins.top = 0;
    const flow = new Flow(doc);
    flow.text(headerLeft, PAGE.margin, 30, { size: 8.5, color: COLORS.muted });
    flow.text(headerRight, PAGE.margin, 30, { size: 8.5, color: COLORS.muted, width: CONTENT_WIDTH, align: 'right' });
    doc.moveTo(PAGE.margin, 44).lineTo(PAGE.width - PAGE.margin, 44).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    const n = i - range.start + 1;
    flow.text(pageLabel(n, range.count), PAGE.margin, PAGE.height - 34, { size: 8, color: COLORS.muted, width: CONTENT_WIDTH, align: 'center' });
    doc.page.margins = margins;
  }
}
