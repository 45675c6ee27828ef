// svg-to-pdfkit ships no types; this declares the one call the briefings make.
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Units of the SVG are points rather than CSS pixels (1 px = 0.75 pt). */
    assumePt?: boolean;
    /** Name of a registered pdfkit font for an SVG font-family. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxBold?: boolean; fauxItalic?: boolean }) => string;
    warningCallback?: (message: string) => void;
    precision?: number;
  }

  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: SvgToPdfOptions): void;
}
