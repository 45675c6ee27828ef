// The product catalogue of the demo operator: what each customer group buys, plan tiers, tariffs
// per revenue item. Indices follow the order of the enumerations in contracts.ts.
import { REVENUE_ITEMS, SEGMENTS, SERVICES } from '../domain/contracts.ts';
import type { Random } from './random.ts';

const serviceIndex = (code: string): number => SERVICES.findIndex((s) => s.code === code);
const segmentIndex = (code: string): number => SEGMENTS.findIndex((s) => s.code === code);
const itemIndex = (code: string): number => REVENUE_ITEMS.findIndex((i) => i.code === code);

export const SVC = {
  mobile: serviceIndex('mobile'),
  fixedVoice: serviceIndex('fixed_voice'),
  broadband: serviceIndex('broadband'),
  iptv: serviceIndex('iptv'),
} as const;

export const SEG = {
  personal: segmentIndex('personal'),
  household: segmentIndex('household'),
  enterprise: segmentIndex('enterprise'),
} as const;

export const SEGMENT_SHARES = byIndex(SEGMENTS.length, [
  [SEG.personal, 0.6],
  [SEG.household, 0.3],
  [SEG.enterprise, 0.1],
]);

// Households buy bundles most; the city's target rate is spread over the groups with these factors,
// which average to ~1 over SEGMENT_SHARES.
const CONVERGENCE_FACTOR = byIndex(SEGMENTS.length, [
  [SEG.personal, 0.75],
  [SEG.household, 1.6],
  [SEG.enterprise, 0.8],
]);

export function convergedChance(cityTarget: number, segment: number): number {
  return Math.min(0.95, cityTarget * (CONVERGENCE_FACTOR[segment] ?? 1));
}

/** The services a new customer takes: ≥ 2 distinct ones for a bundle, usually one otherwise. */
export function servicesFor(rng: Random, segment: number, converged: boolean): number[] {
  const { mobile, fixedVoice, broadband, iptv } = SVC;
  const extraLines = (weights: number[]) => Array<number>(rng.weighted(weights)).fill(mobile);
  if (converged) {
    if (segment === SEG.household) {
      return [broadband, mobile, ...extraLines([50, 35, 15]), ...(rng.chance(0.65) ? [iptv] : []), ...(rng.chance(0.2) ? [fixedVoice] : [])];
    }
    if (segment === SEG.enterprise) {
      return [mobile, broadband, ...extraLines([40, 30, 20, 10]), ...(rng.chance(0.6) ? [fixedVoice] : [])];
    }
    return [mobile, broadband, ...(rng.chance(0.3) ? [iptv] : []), ...(rng.chance(0.05) ? [fixedVoice] : [])];
  }
  const choices: number[][] =
    segment === SEG.household
      ? [[broadband], [broadband, iptv], [mobile], [fixedVoice]]
      : segment === SEG.enterprise
        ? [[mobile], [mobile, mobile], [mobile, mobile, mobile], [fixedVoice], [broadband]]
        : [[mobile], [broadband], [mobile, broadband], [fixedVoice]];
  const weights = segment === SEG.household ? [50, 25, 15, 10] : segment === SEG.enterprise ? [20, 15, 10, 30, 25] : [80, 12, 5, 3];
  return [...(choices[rng.weighted(weights)] ?? [mobile])];
}

const TIER_WEIGHTS = byIndexArrays(SEGMENTS.length, [
  [SEG.personal, [20, 30, 25, 15, 10]],
  [SEG.household, [10, 25, 30, 20, 15]],
  [SEG.enterprise, [10, 20, 30, 25, 15]],
]);

export function tierFor(rng: Random, segment: number): number {
  return rng.weighted(TIER_WEIGHTS[segment] ?? [1]);
}

const BUNDLE_PRICES = [129, 169, 199, 239, 299];
const PLAN_NAMES: Record<number, readonly string[]> = {
  [SVC.mobile]: ['MB19', 'MB39', 'MB59', 'MB79', 'MB129'],
  [SVC.fixedVoice]: ['GH15', 'GH18', 'GH20', 'GH25', 'GH30'],
  [SVC.broadband]: ['BB100M', 'BB200M', 'BB300M', 'BB500M', 'BB1000M'],
  [SVC.iptv]: ['TV-SD', 'TV-HD', 'TV-HD', 'TV-4K', 'TV-4K'],
};

export function bundlePlan(tier: number, segment: number): string {
  return `${segment === SEG.enterprise ? 'ZQRH' : 'RH'}${BUNDLE_PRICES[tier] ?? 199}`;
}

export function standalonePlan(service: number, tier: number, segment: number): string {
  return `${segment === SEG.enterprise ? 'ZQ-' : ''}${PLAN_NAMES[service]?.[tier] ?? 'STD'}`;
}

/** Cross-product discount of a bundle on its members' main item, in percent. */
export function bundleDiscountPct(rng: Random, tier: number): number {
  return 10 + tier * 3 + rng.int(0, 5);
}

export const ITEM = {
  rental: itemIndex('rental'),
  voice: itemIndex('voice'),
  data: itemIndex('data'),
  broadbandFee: itemIndex('broadband_fee'),
  iptvFee: itemIndex('iptv_fee'),
  valueAdded: itemIndex('value_added'),
  other: itemIndex('other'),
} as const;

export interface ItemTariff {
  item: number;
  /** Monthly amount in fen by tier. */
  fen: readonly number[];
  /** Usage items vary from month to month; the first (main) item of a service is the one discounted. */
  usage: boolean;
}

export const SERVICE_ITEMS: Record<number, readonly ItemTariff[]> = {
  [SVC.mobile]: [
    { item: ITEM.rental, fen: [1900, 3900, 5900, 7900, 12900], usage: false },
    { item: ITEM.voice, fen: [300, 500, 700, 900, 1200], usage: true },
    { item: ITEM.data, fen: [500, 800, 1200, 1500, 2000], usage: true },
    { item: ITEM.valueAdded, fen: [200, 300, 400, 500, 600], usage: true },
  ],
  [SVC.broadband]: [{ item: ITEM.broadbandFee, fen: [4000, 5500, 7000, 9000, 12000], usage: false }],
  [SVC.iptv]: [{ item: ITEM.iptvFee, fen: [1000, 1500, 2000, 2500, 3000], usage: false }],
  [SVC.fixedVoice]: [
    { item: ITEM.rental, fen: [1500, 1800, 2000, 2500, 3000], usage: false },
    { item: ITEM.voice, fen: [300, 500, 700, 900, 1200], usage: true },
  ],
};

/** Government and enterprise lines carry bigger plans and more usage. */
export const ENTERPRISE_TARIFF_FACTOR = 1.35;

function byIndex(length: number, pairs: readonly [number, number][]): number[] {
  const out = Array<number>(length).fill(0);
  for (const [i, v] of pairs) out[i] = v;
  return out;
}

function byIndexArrays(length: number, pairs: readonly [number, number[]][]): number[][] {
  const out: number[][] = Array.from({ length }, () => [1]);
  for (const [i, v] of pairs) out[i] = v;
  return out;
}
