// What a file is, from its name and its first bytes: kind, format, encoding, header.
import { basename, extname } from 'node:path';
import { KINDS, type Kind, isKind } from '../domain/contracts.ts';
import { normalizePeriod } from '../domain/period.ts';
import { ALL_REGIONS } from '../domain/region-code.ts';

export type Format = 'csv' | 'tsv' | 'xlsx' | 'parquet';
export type Encoding = 'utf8' | 'gb18030';

/** The first `_`-separated token of the file name that is a kind, ignoring case (extracts.md). */
export function kindFromFileName(file: string): Kind | null {
  const name = basename(file).replace(/\.[^.]*$/, '');
  for (const token of name.split('_')) {
    const t = token.toLowerCase();
    if (isKind(t)) return t;
  }
  return null;
}

/**
 * The (region, month) a file's name names, when it names exactly one of each (extracts.md, "Empty and
 * missing slices"): a region is a `_`-separated token that is `ALL` (any case) or a code of the region
 * list, a month a token `YYYYMM` or `YYYY-MM` (`complaint_330300_202609.csv`,
 * `complaint_ALL_2026-09.xlsx`). Null when the name names no region or no month, or two of either.
 */
export function sliceFromFileName(file: string, regions: ReadonlySet<string>): { region: string; period: string } | null {
  const tokens = basename(file).replace(/\.[^.]*$/, '').split('_');
  const isRegion = (t: string) => t.toUpperCase() === ALL_REGIONS || regions.has(t);
  const named = new Set(tokens.filter(isRegion).map((t) => (regions.has(t) ? t : ALL_REGIONS)));
  const months = new Set(tokens.filter((t) => !isRegion(t) && (t.length === 6 || t.length === 7)).map((t) => normalizePeriod(t)).filter((p) => p !== undefined));
  if (named.size !== 1 || months.size !== 1) return null;
  return { region: [...named][0]!, period: [...months][0]! };
}

/**
 * The (region, month) whose slice a file's name can make (extracts.md, "Empty and missing slices"):
 * one region and one month, or, for complaints (sparse events), ALL and one month — every region of
 * the list. Other kinds' ALL files cover only the regions of their rows: null, as for a name that
 * names no region and month; and null for targets.
 */
export function sliceClaim(kind: Kind, file: string, regions: ReadonlySet<string>): { region: string; period: string } | null {
  // Targets record no empty slices: their slices are years or months as written in the rows.
  if (kind === 'target') return null;
  const named = sliceFromFileName(file, regions);
  return named && (named.region !== ALL_REGIONS || kind === 'complaint') ? named : null;
}

export function parseKind(value: string): Kind {
  const t = value.trim().toLowerCase();
  if (!isKind(t)) throw new Error(`unknown kind '${value}' (expected one of ${KINDS.join(', ')})`);
  return t;
}

export function formatFromFileName(file: string): Format | null {
  switch (extname(file).toLowerCase()) {
    case '.csv':
    case '.txt':
      return 'csv';
    case '.tsv':
    case '.tab':
      return 'tsv';
    case '.xlsx':
      return 'xlsx';
    case '.parquet':
    case '.pq':
      return 'parquet';
    default:
      return null;
  }
}

/** `--encoding` values users type: utf8, utf-8, gbk, gb2312, gb18030 (any case). */
export function parseEncoding(value: string): Encoding {
  const v = value.trim().toLowerCase().replace(/[-_]/g, '');
  if (v === 'utf8') return 'utf8';
  if (v === 'gbk' || v === 'gb2312' || v === 'gb18030' || v === 'cp936') return 'gb18030';
  throw new Error(`unknown encoding '${value}' (expected utf-8, gbk or gb18030)`);
}

/** Splits one CSV header line (already decoded) into cells, honouring double quotes. */
export function splitHeaderLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

/** Header cells compare ignoring case, surrounding spaces and a UTF-8 BOM. */
export function normalizeHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().toLowerCase();
}
