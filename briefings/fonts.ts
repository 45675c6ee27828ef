// The briefings' one typeface: Noto Sans SC (SIL Open Font License 1.1, which allows embedding), from
// the @expo-google-fonts/noto-sans-sc package as whole TrueType files, so that nothing at run time
// depends on fonts installed on the machine. pdfkit embeds only the glyphs a document uses (a subset
// of a few dozen KB), and the same files measure text for vega's layout, so that chart labels are
// placed for the widths they will have in the PDF.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

export type FontName = 'regular' | 'bold';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));

const FILES: Record<FontName, string> = {
  regular: join(PACKAGE_DIR, '400Regular', 'NotoSansSC_400Regular.ttf'),
  bold: join(PACKAGE_DIR, '700Bold', 'NotoSansSC_700Bold.ttf'),
};

// ~10 MB each: read once per thread, shared by every document it renders.
const buffers = new Map<FontName, Buffer>();

function fontBuffer(name: FontName): Buffer {
  let buf = buffers.get(name);
  if (!buf) {
    buf = readFileSync(FILES[name]);
    buffers.set(name, buf);
  }
  return buf;
}

/** Registers both weights under their FontName; every text of a briefing uses one of them. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const name of Object.keys(FILES) as FontName[]) doc.registerFont(name, fontBuffer(name));
}

// A document that is never written, kept only for its font metrics.
let measurer: PDFKit.PDFDocument | null = null;
const widths = new Map<string, number>();

function measuring(): PDFKit.PDFDocument {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    registerFonts(measurer);
  }
  return measurer;
}

/** Characters of `text` the font has no glyph for (they would print as empty boxes). */
export function missingGlyphs(text: string, font: FontName = 'regular'): string[] {
  // pdfkit keeps the fontkit font of an embedded font as `font`; no public accessor exists.
  const face = (measuring().font(font) as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
  return [...new Set(text)].filter((ch) => !/\s/.test(ch) && !face.hasGlyphForCodePoint(ch.codePointAt(0)!));
}

/** Advance width of `text` in points at `size`, as pdfkit will set it. */
export function textWidth(text: string, size: number, font: FontName = 'regular'): number {
  const key = `${font}|${size}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    w = measuring().font(font).fontSize(size).widthOfString(text);
    if (widths.size > 20_000) widths.clear();
    widths.set(key, w);
  }
  return w;
}
