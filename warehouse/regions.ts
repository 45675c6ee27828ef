// The region list: 6-digit GB/T 2260 codes with Chinese and English names. Every extract row's
// region_code must be in it; users and briefings are scoped by it.
import { padRegionCode } from '../domain/region-code.ts';
import { type Warehouse, quoteLiteral } from './db.ts';
import { UserError } from './errors.ts';

export interface Region {
  code: string;
  name_zh: string;
  name_en: string | null;
}

/** Placeholder rows of the national city list that are not prefecture-level cities. */
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** 4-digit city codes (and 2-digit province codes) are right-padded with zeros to GB/T 2260's 6 digits. */
export function normalizeRegionCode(raw: string): string {
  const code = padRegionCode(raw);
  if (code === undefined) {
    throw new UserError(`'${raw}' is not a region code: expected 6 digits (GB/T 2260), or 4/2 digits to pad / 地市编码应为 6 位数字`);
  }
  return code;
}

export async function addRegion(wh: Warehouse, code: string, nameZh: string, nameEn?: string): Promise<Region> {
  const region = { code: normalizeRegionCode(code), name_zh: nameZh.trim(), name_en: nameEn?.trim() || null };
  if (!region.name_zh) throw new UserError('a region needs a Chinese name / 地市名称不能为空');
  await wh.run(
    `insert into regions values ($code, $zh, $en)
     on conflict (code) do update set name_zh = excluded.name_zh, name_en = coalesce(excluded.name_en, regions.name_en)`,
    { code: region.code, zh: region.name_zh, en: region.name_en },
  );
  return region;
}

/** Loads a CSV whose first two columns are code and name; a column headed name_en gives the English name. */
export async function loadRegionsCsv(wh: Warehouse, file: string): Promise<{ added: number; updated: number; skipped: string[] }> {
  let rows: string[][];
  let enIndex = -1;
  try {
    const reader = await wh.conn.runAndReadAll(`select * from read_csv(${quoteLiteral(file)}, header = true, all_varchar = true)`);
    enIndex = reader.columnNames().findIndex((n) => /^(name_en|english|name_english)$/i.test(n.trim()));
    rows = reader.getRows().map((r) => r.map((v) => (v === null ? '' : String(v))));
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const existing = new Set((await listRegions(wh)).map((r) => r.code));
  const out = { added: 0, updated: 0, skipped: [] as string[] };
  await wh.transaction(async () => {
    for (const [i, row] of rows.entries()) {
      const [code = '', name = ''] = row;
      const en = enIndex >= 0 ? row[enIndex] : undefined;
      if (PLACEHOLDERS.has(name.trim())) {
        out.skipped.push(`line ${i + 2}: ${code} ${name} (placeholder, not a city)`);
        continue;
      }
      let region: Region;
      try {
        region = await addRegion(wh, code, name, en);
      } catch (err) {
        throw new UserError(`${file} line ${i + 2}: ${(err as Error).message}`);
      }
      if (existing.has(region.code)) out.updated++;
      else out.added++;
    }
  });
  return out;
}

export async function listRegions(wh: Warehouse): Promise<Region[]> {
  return wh.all<Region>('select code, name_zh, name_en from regions order by code');
}
