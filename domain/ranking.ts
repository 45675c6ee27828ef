// One ranking rule for every place that ranks cities — the API, the board's city comparison, the wall
// and the briefings — so the same city never has two ranks: by the KPI's direction, rank 1 = the best;
// ties share the smaller rank (1, 2, 2, 4); a city without a figure comes last, unranked; a KPI whose
// direction is `none` (neither more nor less is better) is not ranked at all.
import type { KpiDirection } from './kpi-catalogue.ts';

export interface Ranked<T> {
  item: T;
  /** 1 = best; null when the item has no figure or the KPI is not ranked. */
  rank: number | null;
}

/** Best first; items without a figure last, in their input order (as are all items of a `none` KPI). */
export function rankByDirection<T>(items: readonly T[], value: (item: T) => number | null, direction: KpiDirection): Ranked<T>[] {
  const withValue = items.map((item, i) => ({ item, i, v: value(item) }));
  if (direction === 'none') return withValue.map(({ item }) => ({ item, rank: null }));
  const sign = direction === 'higher' ? -1 : 1;
  const ranked = withValue.filter((x) => x.v !== null).sort((a, b) => sign * (a.v! - b.v!) || a.i - b.i);
  const out: Ranked<T>[] = [];
  ranked.forEach((x, k) => {
    const tie = k > 0 && ranked[k - 1]!.v === x.v;
    out.push({ item: x.item, rank: tie ? out[k - 1]!.rank : k + 1 });
  });
  for (const x of withValue) if (x.v === null) out.push({ item: x.item, rank: null });
  return out;
}
