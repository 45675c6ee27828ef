// Missing is not zero: a KPI whose source extract has not arrived for a (region, month) is null and
// is shown as "未上报 / not reported", never as 0. Every KPI answer carries `missing_extracts`: for each
// data kind, the regions of its scope without a slice of that kind for the month ({} when none are
// missing). An empty slice (a file that arrived with no rows) is not missing.
import type { Kind } from './contracts.ts';
import { kpiDefinition } from './kpi-catalogue.ts';

export type MissingExtracts = Partial<Record<Kind, string[]>>;

/**
 * The source kinds of `key` that are missing where it is asked for. For a region: the kinds without
 * that region's slice. For ALL (a kind is missing only when no region has it): the kinds missing for
 * every one of the `regionCount` regions.
 */
export function missingSources(key: string, region: string, missing: MissingExtracts, regionCount: number): Kind[] {
  const sources = kpiDefinition(key)?.sources ?? [];
  return sources.filter((kind) => {
    const regions = missing[kind] ?? [];
    return region === 'ALL' ? regionCount > 0 && regions.length >= regionCount : regions.includes(region);
  });
}

/** A null figure because its extract has not arrived (as opposed to a figure that is undefined, e.g. 0/0). */
export function isNotReported(key: string, value: number | null, region: string, missing: MissingExtracts, regionCount: number): boolean {
  return value === null && missingSources(key, region, missing, regionCount).length > 0;
}
