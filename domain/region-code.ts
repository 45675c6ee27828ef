// Region codes: 6-digit GB/T 2260 codes (330300 温州市), or ALL for the province as a whole. Whether a
// code is in the warehouse's region list is the warehouse's question (warehouse/regions.ts); this is
// only the shape, checked alike by the CLI, the server, the briefings and the dashboard.

export const ALL_REGIONS = 'ALL';

/** A 6-digit region code. */
export function isRegionCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}

/** A 6-digit region code or ALL. */
export function isRegionScope(value: unknown): value is string {
  return value === ALL_REGIONS || isRegionCode(value);
}

/**
 * 4-digit city codes (and 2-digit province codes) right-padded with zeros to 6 digits, as national
 * lists write them; undefined when the text is no region code at all.
 */
export function padRegionCode(raw: string): string | undefined {
  const code = raw.trim();
  return /^\d{2}(\d{2})?(\d{2})?$/.test(code) ? code.padEnd(6, '0') : undefined;
}
