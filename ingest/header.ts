// Matches a file's header cells to the contract's columns (English names or Chinese aliases, any
// order). Missing required columns refuse the file; extra columns are kept in the raw layer.
import type { ColumnContract, KindContract } from '../domain/contracts.ts';
import { normalizeHeader } from './detect.ts';

export interface HeaderMapping {
  /** contract column name → index of the file column holding it (absent: not in the file). */
  columns: Map<string, number>;
  /** File columns outside the contract: index and the header as written. */
  extras: { index: number; name: string }[];
}

export class HeaderError extends Error {}

export function mapHeader(contract: KindContract, header: string[]): HeaderMapping {
  const byName = new Map<string, ColumnContract>();
  for (const c of contract.columns) {
    byName.set(c.name.toLowerCase(), c);
    byName.set(c.alias.toLowerCase(), c);
  }
  const columns = new Map<string, number>();
  const extras: { index: number; name: string }[] = [];
  header.forEach((cell, index) => {
    const c = byName.get(normalizeHeader(cell));
    if (!c) {
      extras.push({ index, name: cell.replace(/^\uFEFF/, '').trim() || `column_${index + 1}` });
      return;
    }
    if (columns.has(c.name)) {
      throw new HeaderError(
        `column ${c.name} (${c.alias}) appears twice in the header (columns ${columns.get(c.name)! + 1} and ${index + 1}) / 表头中列 ${c.alias} 重复`,
      );
    }
    columns.set(c.name, index);
  });
  const missing = contract.columns.filter((c) => c.required && !columns.has(c.name));
  if (missing.length > 0) {
    const list = missing.map((c) => `${c.name} (${c.alias})`).join(', ');
    throw new HeaderError(
      `missing required column(s) for a ${contract.kind} extract: ${list} / 缺少必填列: ${missing.map((c) => c.alias).join('、')}`,
    );
  }
  return { columns, extras };
}
