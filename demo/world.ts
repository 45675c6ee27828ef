// The fixed world of the demo data: how the 11 Zhejiang cities differ, and the outlets (渠道网点)
// of every city. The numbers are invented but shaped like a provincial operator's: big coastal
// cities, more convergence and higher ARPU in Hangzhou/Ningbo, more complaints in the south.
import { CHANNEL_TYPES, ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { dayOf, type Month } from './calendar.ts';
import type { Random } from './random.ts';

export interface CityProfile {
  code: string;
  nameZh: string;
  /** Share of the province's subscriptions. */
  share: number;
  /** Share of customers that hold a converged bundle. */
  convergence: number;
  /** Multiplier on the churn hazards. */
  churn: number;
  complaintsPer10k: number;
  /** Share of complaints escalated to media, regulator or upper company. */
  escalated: number;
  /** Multiplier on tariffs, which sets the city's ARPU. */
  arpu: number;
  /** Surviving gross adds per churned subscription. */
  growth: number;
}

// code: [share, convergence, churn, complaints/10k, escalated, arpu, growth]
const PROFILES: Record<string, readonly [number, number, number, number, number, number, number]> = {
  '330100': [0.215, 0.44, 0.95, 9, 0.05, 1.3, 1.06],
  '330200': [0.165, 0.42, 0.9, 7, 0.04, 1.18, 1.04],
  '330300': [0.155, 0.38, 1.15, 16, 0.08, 1.05, 1.03],
  '330400': [0.075, 0.41, 0.95, 6, 0.04, 1.04, 1.03],
  '330500': [0.05, 0.4, 0.9, 5, 0.035, 0.98, 1.02],
  '330600': [0.085, 0.4, 0.95, 8, 0.05, 1.02, 1.03],
  '330700': [0.1, 0.36, 1.1, 14, 0.07, 0.95, 1.03],
  '330800': [0.035, 0.33, 1.2, 12, 0.06, 0.85, 1.0],
  '330900': [0.025, 0.37, 1.0, 4, 0.03, 0.95, 1.01],
  '331000': [0.095, 0.35, 1.1, 18, 0.09, 0.98, 1.02],
  '331100': [0.035, 0.32, 1.2, 22, 0.08, 0.82, 1.0],
};

export const CITIES: readonly CityProfile[] = ZHEJIANG_CITIES.map((c) => {
  const [share, convergence, churn, complaintsPer10k, escalated, arpu, growth] = PROFILES[c.code] ?? [0.05, 0.38, 1, 10, 0.05, 1, 1.02];
  return { code: c.code, nameZh: c.nameZh, share, convergence, churn, complaintsPer10k, escalated, arpu, growth };
});

const typeIndex = (code: string): number => CHANNEL_TYPES.findIndex((t) => t.code === code);
export const CH = {
  selfRun: typeIndex('self_run_hall'),
  partnerFull: typeIndex('partner_full'),
  partnerStore: typeIndex('partner_store'),
  servicePoint: typeIndex('service_point'),
  online: typeIndex('online'),
  hotline: typeIndex('hotline'),
  accountManager: typeIndex('account_manager'),
} as const;

const SOCIAL = new Set<number>([CH.partnerFull, CH.partnerStore, CH.servicePoint]);
export const isSocial = (type: number): boolean => SOCIAL.has(type);

/** Who sells to whom: weights by channel type index, for consumers and for 政企 customers. */
export const CONSUMER_CHANNEL_WEIGHTS = typeWeights({ self_run_hall: 20, partner_full: 20, partner_store: 24, service_point: 14, online: 12, hotline: 4, account_manager: 0.5 });
export const ENTERPRISE_CHANNEL_WEIGHTS = typeWeights({ self_run_hall: 12, partner_full: 6, partner_store: 3, service_point: 1, online: 4, hotline: 2, account_manager: 72 });

function typeWeights(byCode: Record<string, number>): number[] {
  return CHANNEL_TYPES.map((t) => byCode[t.code] ?? 0);
}

const NAMES = ['自办营业厅', '全业务合作厅', '专营店', '代办点', '网上营业厅', '10000号', '政企客户经理'];
const ID_TAGS = ['ZB', 'S1', 'S2', 'S3', 'WT', 'RX', 'KJ'];
// Commission per gross add in fen, by type; 0 where the outlet is the operator's own staff.
const RATE_FEN = [0, 15000, 10000, 5000, 0, 0, 0];
const EXCLUSIVE_SHARE = [0, 0.6, 0.35, 0.1, 0, 0, 0];
export const CONVERGED_BONUS_FEN = 8000;

export interface Outlet {
  id: string;
  name: string;
  type: number;
  city: number;
  /** null for the non-social types, whose `exclusive` cell stays empty. */
  exclusive: boolean | null;
  opened: number;
  /** Day number, or −1 while open. */
  closed: number;
  weight: number;
  rateFen: number;
  /** Gross adds sold in the month being generated (reset each month). */
  adds: number;
  convergedAdds: number;
}

export function openOn(outlet: Outlet, day: number): boolean {
  return outlet.opened <= day && (outlet.closed < 0 || outlet.closed > day);
}

export class Outlets {
  readonly all: Outlet[] = [];
  private readonly lists: Outlet[][][];
  private readonly cumulative: number[][][];

  constructor(rng: Random, subsPerCity: readonly number[], window: { first: Month; last: Month }) {
    this.lists = CITIES.map(() => CHANNEL_TYPES.map(() => []));
    const counts = (subs: number): number[] => [
      Math.max(2, Math.round(subs / 4000)),
      Math.max(2, Math.round(subs / 2500)),
      Math.max(3, Math.round(subs / 900)),
      Math.max(3, Math.round(subs / 700)),
      1,
      1,
      Math.max(2, Math.round(subs / 8000)),
    ];
    const historyStart = dayOf(2004, 1, 1);
    const windowStart = window.first.first;
    CITIES.forEach((city, c) => {
      counts(subsPerCity[c] ?? 0).forEach((n, type) => {
        for (let k = 1; k <= n; k++) {
          const opened =
            type === CH.selfRun && k === 1
              ? dayOf(2001, 1, 1) // the flagship hall: always open, the fallback seller
              : type === CH.hotline
                ? dayOf(2002, 1, 1)
                : type === CH.online
                  ? dayOf(2012, 6, 1)
                  : rng.int(historyStart, windowStart - 30);
          const exclusiveShare = EXCLUSIVE_SHARE[type] ?? 0;
          const outlet: Outlet = {
            id: `QD${city.code.slice(0, 4)}${ID_TAGS[type]}${String(k).padStart(4, '0')}`,
            name: n === 1 ? `${city.nameZh}${NAMES[type]}` : `${city.nameZh}${NAMES[type]}${k}号`,
            type,
            city: c,
            exclusive: isSocial(type) ? rng.chance(exclusiveShare) : null,
            opened,
            closed: -1,
            weight: 0,
            rateFen: Math.round(((RATE_FEN[type] ?? 0) * rng.int(90, 110)) / 100),
            adds: 0,
            convergedAdds: 0,
          };
          // Exclusive outlets are paid to sell only our products, and do sell more.
          outlet.weight = rng.uniform(0.4, 1.6) * (outlet.exclusive ? 1.7 : 1);
          this.lists[c]?.[type]?.push(outlet);
          this.all.push(outlet);
        }
      });
    });
    this.churnOutlets(rng, window);
    this.cumulative = this.lists.map((byType) =>
      byType.map((list) => {
        let sum = 0;
        return list.map((o) => (sum += o.weight));
      }),
    );
  }

  /** A few social outlets closed years ago, a few close or open during the window. */
  private churnOutlets(rng: Random, window: { first: Month; last: Month }): void {
    const social = this.all.filter((o) => isSocial(o.type));
    const take = (n: number) => {
      const chosen: Outlet[] = [];
      for (let i = 0; i < n * 20 && chosen.length < n; i++) {
        const o = rng.pick(social);
        if (o.closed < 0 && o.opened < window.first.first - 400 && !chosen.includes(o)) chosen.push(o);
      }
      return chosen;
    };
    for (const o of take(Math.max(2, Math.round(social.length * 0.04)))) o.closed = rng.int(o.opened + 365, window.first.first - 1);
    for (const o of take(Math.max(2, Math.round(social.length * 0.03)))) o.closed = rng.int(window.first.first + 1, window.last.last - 1);
    for (const o of take(Math.max(2, Math.round(social.length * 0.04)))) o.opened = rng.int(window.first.first + 1, window.last.last);
  }

  /** An outlet of that city and type open on `day`, drawn by sales weight; null when none was found. */
  pick(rng: Random, city: number, type: number, day: number): Outlet | null {
    const list = this.lists[city]?.[type];
    const cum = this.cumulative[city]?.[type];
    if (!list || !cum || list.length === 0) return null;
    const total = cum[cum.length - 1] ?? 0;
    for (let attempt = 0; attempt < 12; attempt++) {
      const r = rng.float() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cum[mid] ?? 0) > r) hi = mid;
        else lo = mid + 1;
      }
      const o = list[lo];
      if (o && openOn(o, day)) return o;
    }
    return null;
  }

  /** The city's first self-run hall, open since 2001 and never closed. */
  flagship(city: number): Outlet {
    const o = this.lists[city]?.[CH.selfRun]?.[0];
    if (!o) throw new Error(`no self-run hall in city ${city}`);
    return o;
  }
}
