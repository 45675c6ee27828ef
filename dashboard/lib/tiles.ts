// The headline tiles of the board and the wall, in reading order. The churn tile holds two figures
// (converged vs standalone cohorts) because the comparison is the point: converged customers churn less.

export interface TileDef {
  id: string;
  /** The KPI keys shown; the first is the tile's main figure. */
  keys: readonly string[];
}

export const TILES: readonly TileDef[] = [
  { id: 'active_subscriptions', keys: ['active_subscriptions'] },
  { id: 'convergence_rate', keys: ['convergence_rate'] },
  { id: 'churn', keys: ['churn_rate_converged', 'churn_rate_standalone'] },
  { id: 'arpu', keys: ['arpu'] },
  { id: 'revenue', keys: ['revenue'] },
  { id: 'complaints_per_10k', keys: ['complaints_per_10k'] },
  { id: 'escalated_complaints', keys: ['escalated_complaints'] },
  { id: 'sla_met_rate', keys: ['sla_met_rate'] },
];

export const HEADLINE_KEYS: readonly string[] = TILES.flatMap((t) => t.keys);

/**
 * The complaints panel's own tiles: the backlog past its deadline (超时未办结) and the appeals to the
 * regulator per million subscriptions (百万用户申诉率), the two figures a regulator judges.
 */
export const COMPLAINT_PANEL_TILES: readonly TileDef[] = [
  { id: 'overdue_open_complaints', keys: ['overdue_open_complaints'] },
  { id: 'regulator_complaints_per_million', keys: ['regulator_complaints_per_million'] },
];

/** Keys with a sparkline outside the headline tiles (loaded after the tiles, with the charts). */
export const PANEL_KEYS: readonly string[] = COMPLAINT_PANEL_TILES.flatMap((t) => t.keys);

/** Keys whose trend the board offers (the headline keys plus a few that explain them). */
export const TREND_KEYS: readonly string[] = [...HEADLINE_KEYS, 'net_adds', 'churn_rate', 'satisfaction_rate'];

/** The tile ids whose figures differ between two KPI snapshots (what a live update highlights). */
export function changedTiles(before: Record<string, number | null> | null, after: Record<string, number | null>): string[] {
  if (!before) return [];
  return TILES.filter((t) => t.keys.some((k) => (before[k] ?? null) !== (after[k] ?? null))).map((t) => t.id);
}
