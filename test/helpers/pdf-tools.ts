// poppler-utils for the briefing tests: the text a PDF reader extracts, its fonts, its page count,
// a page as PNG. Installed by .ci/run when missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(bytes: Uint8Array, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, bytes);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(bytes: Uint8Array): string {
  return withFile(bytes, (path) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }));
}

/** pdffonts' table as rows: name, type, emb, sub, uni. */
export function pdfFonts(bytes: Uint8Array): { name: string; embedded: boolean; subset: boolean; unicode: boolean }[] {
  const out = withFile(bytes, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      const [emb, sub, uni] = cols.slice(-5, -2);
      return { name: cols[0]!, embedded: emb === 'yes', subset: sub === 'yes', unicode: uni === 'yes' };
    });
}

export function pdfPages(bytes: Uint8Array): number {
  const out = withFile(bytes, (path) => execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
}

/** Page `page` as PNG at `dpi`, written to `out` (a path without the .png, as pdftoppm wants). */
export function pdfPageToPng(bytes: Uint8Array, out: string, page = 1, dpi = 110): string {
  withFile(bytes, (path) => execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', path, out]));
  return `${out}.png`;
}
