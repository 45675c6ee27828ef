// What a city's briefing may name: its own city, never another city nor a province figure (issue 11, finding 2).
import ExcelJS from 'exceljs';
import { ZHEJIANG_CITIES } from '../../domain/contracts.ts';
import { ENUMERATIONS } from '../../domain/enumerations.ts';

/** Every cell of every sheet of an XLSX, as text. */
export async function xlsxText(xlsx: Uint8Array): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  const out: string[] = [wb.title ?? ''];
  for (const ws of wb.worksheets) {
    out.push(ws.name);
    ws.eachRow((row) => row.eachCell((cell) => out.push(cell.text ?? String(cell.value))));
  }
  return out.join('\n');
}

/**
 * Names of the vocabulary that merely contain "Province" (the complaint source "Province / group", 省公司/集团:
 * a complaint escalated to the upper company), not a province figure: taken out before looking for one.
 */
const NOT_THE_PROVINCE = Object.values(ENUMERATIONS)
  .flatMap((e) => Object.values(e.en))
  .filter((name) => name.includes('Province'))
  .map((name) => name.replace(/\s+/g, ''));

/** The names of other cities and of the province found in `text` (whitespace removed before matching), in Chinese or English. */
export function foreignNames(text: string, own: string): string[] {
  let flat = text.replace(/\s+/g, '');
  for (const name of NOT_THE_PROVINCE) flat = flat.replaceAll(name, '');
  const found = ZHEJIANG_CITIES.filter((c) => c.code !== own).flatMap((c) => [c.nameZh, c.nameZh.replace(/市$/, ''), c.nameEn]).filter((n) => flat.toLowerCase().includes(n.toLowerCase()));
  for (const p of ['全省', 'Province', 'province', '浙江省', 'Zhejiang']) if (flat.includes(p)) found.push(p);
  return found;
}
