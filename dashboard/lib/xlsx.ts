// XLSX export through ExcelJS, loaded only when asked for (it is large). Numbers stay numbers and
// DATE/TIMESTAMP columns become Excel dates, so the analyst can keep calculating in Excel.
import type { SqlColumn } from './types.ts';

const NUMERIC = /INT|DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC/i;

/** Big integers and decimals arrive as strings when a double cannot hold them exactly. */
function cellValue(v: unknown, kind: string): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (kind === 'date' && typeof v === 'string') {
    // Excel has no time zones: write the warehouse's wall-clock value as is (ExcelJS reads Dates as UTC).
    const d = new Date(`${v.replace(' ', 'T')}${v.length <= 10 ? 'T00:00:00' : ''}Z`);
    return Number.isNaN(d.getTime()) ? v : d;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export async function toXlsx(columns: readonly SqlColumn[], rows: readonly (readonly unknown[])[]): Promise<Blob> {
  const mod = (await import('exceljs')) as unknown as { default?: typeof import('exceljs') } & typeof import('exceljs');
  const ExcelJS = mod.default ?? mod;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('result');
  ws.columns = columns.map((c) => ({ header: c.name, key: c.name, width: Math.min(40, Math.max(10, c.name.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const kinds = columns.map((c) => (NUMERIC.test(c.type) ? 'number' : /^(DATE|TIMESTAMP)/i.test(c.type) ? 'date' : 'text'));
  for (const row of rows) ws.addRow(row.map((v, i) => cellValue(v, kinds[i]!)));
  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
