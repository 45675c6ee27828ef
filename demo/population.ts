// The customer base month by month: a base of subscriptions at the start of the window, then per
// month churn (whole customers leaving, single lines dropped; converged bundles leave less) and
// gross adds (new customers and upsells into bundles) that keep the base stable or growing.
import {
  ENTERPRISE_TARIFF_FACTOR,
  SEG,
  SEGMENT_SHARES,
  SERVICE_ITEMS,
  SVC,
  bundleDiscountPct,
  bundlePlan,
  convergedChance,
  servicesFor,
  standalonePlan,
  tierFor,
} from './catalogue.ts';
import type { Month } from './calendar.ts';
import { dayOf } from './calendar.ts';
import type { Random } from './random.ts';
import { CITIES, CONSUMER_CHANNEL_WEIGHTS, ENTERPRISE_CHANNEL_WEIGHTS, type Outlet, type Outlets } from './world.ts';

export interface Bundle {
  id: string;
  plan: string;
  discountPct: number;
  /** Services of the bundle's active subscriptions at the start of the month being generated. */
  mask: number;
}

export interface Customer {
  id: string;
  city: number;
  segment: number;
  tier: number;
  bundle: Bundle | null;
  subs: Sub[];
  /** Month whose leave decision `leaveDay` holds (−1 in leaveDay: stays). */
  decidedMonth: number;
  leaveDay: number;
}

export interface Sub {
  idx: number;
  id: string;
  customer: Customer;
  service: number;
  plan: string;
  bundle: Bundle | null;
  channel: Outlet | null;
  activated: number;
  /** Day number, or −1 while active. */
  terminated: number;
  /** Monthly base amount in fen of each of the service's revenue items. */
  fees: number[];
  /** Formatted constant part of the subscriber row; '' when it must be rebuilt. */
  text: string;
}

// Monthly hazards before the city factor: whole customers leaving, and one line dropped.
const LEAVE = { converged: 0.0045, standalone: 0.019 };
const DROP = { converged: 0.003, standalone: 0.0045 };
const UPSELL_SHARE = 0.12;
const NEW_CUSTOMER_CONVERGENCE = 0.5;
const COOLING_OFF = 0.004;
const UNATTRIBUTED = 0.015;

const popcount = (mask: number): number => (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1);

export function inConvergedBundle(sub: Sub): boolean {
  return sub.bundle !== null && popcount(sub.bundle.mask) >= 2;
}

export class Population {
  /** Subscriptions active at the start of the month being generated, in id order. */
  active: Sub[] = [];
  private subCount = 0;
  private customerCount = 0;
  private bundleCount = 0;

  constructor(
    private readonly rng: Random,
    private readonly outlets: Outlets,
  ) {}

  /** The base active on `startDay`: exactly `perCity[c]` subscriptions in city c, activated over past years. */
  seedBase(perCity: readonly number[], startDay: number): void {
    const oldest = dayOf(2005, 1, 1);
    CITIES.forEach((city, c) => {
      let left = perCity[c] ?? 0;
      while (left > 0) {
        const segment = this.rng.weighted(SEGMENT_SHARES);
        const converged = this.rng.chance(convergedChance(city.convergence, segment));
        let services = servicesFor(this.rng, segment, converged);
        if (services.length > left) services = services.slice(0, left);
        // Recent years weigh more: the base keeps renewing itself.
        const since = Math.max(oldest, startDay - 1 - Math.floor(6200 * this.rng.float() ** 2));
        const days = services.map((_, i) => (i === 0 ? since : this.rng.int(since, startDay - 1)));
        // A few bundles have lost all but one member before the window starts (融合拆包 left over).
        const bundled = converged ? new Set(services).size >= 2 : services.length === 1 && this.rng.chance(0.03);
        this.addCustomer(c, segment, services, days, bundled, null);
        left -= services.length;
      }
    });
    this.active.sort((a, b) => a.idx - b.idx);
  }

  /**
   * Churn and gross adds of month m. Returns the month's extract: the subscriptions active at its
   * start (those leaving now carry terminated_on) followed by its adds. With `exact`, surviving adds
   * equal churn in every city, so the base at the end of the month is what it was at the start.
   */
  simulate(m: Month, exact: boolean): Sub[] {
    this.markBundles();
    const churned = CITIES.map(() => 0);
    const stayers: Sub[][] = CITIES.map(() => []);
    for (const s of this.active) {
      const cust = s.customer;
      const converged = inConvergedBundle(s);
      const factor = CITIES[cust.city]?.churn ?? 1;
      if (cust.decidedMonth !== m.index) {
        cust.decidedMonth = m.index;
        cust.leaveDay = this.rng.chance((converged ? LEAVE.converged : LEAVE.standalone) * factor) ? this.rng.int(m.first, m.last) : -1;
      }
      if (cust.leaveDay >= 0) s.terminated = cust.leaveDay;
      else if (this.rng.chance((converged ? DROP.converged : DROP.standalone) * factor)) s.terminated = this.rng.int(m.first, m.last);
      if (s.terminated >= 0) churned[cust.city]++;
      else stayers[cust.city]?.push(s);
    }
    const adds: Sub[] = [];
    CITIES.forEach((city, c) => {
      const budget = exact ? (churned[c] ?? 0) : Math.round((churned[c] ?? 0) * city.growth * this.rng.uniform(0.9, 1.12));
      let left = budget;
      const upsells = Math.round(budget * UPSELL_SHARE);
      for (let i = 0; i < upsells && (stayers[c]?.length ?? 0) > 0; i++) {
        adds.push(this.upsell(this.rng.pick(stayers[c] ?? []).customer, m));
        left--;
      }
      while (left > 0) {
        const segment = this.rng.weighted(SEGMENT_SHARES);
        const converged = this.rng.chance(convergedChance(city.convergence, segment) * NEW_CUSTOMER_CONVERGENCE);
        let services = servicesFor(this.rng, segment, converged);
        if (services.length > left) services = services.slice(0, left);
        const day = this.rng.int(m.first, m.last);
        adds.push(...this.addCustomer(c, segment, services, services.map(() => day), converged && new Set(services).size >= 2, m));
        left -= services.length;
      }
      // Cooling-off cancellations: sold and terminated within the month; they never touch the budget.
      for (let k = this.rng.count(budget * COOLING_OFF); k > 0; k--) {
        const day = this.rng.int(m.first, m.last);
        const [s] = this.addCustomer(c, SEG.personal, [this.rng.chance(0.7) ? SVC.mobile : SVC.broadband], [day], false, m);
        if (s) {
          s.terminated = this.rng.int(day, Math.min(day + 14, m.last));
          adds.push(s);
        }
      }
    });
    adds.sort((a, b) => a.idx - b.idx);
    for (const s of adds) {
      if (!s.channel) continue;
      s.channel.adds++;
      if (s.bundle) s.channel.convergedAdds++;
    }
    return this.active.concat(adds);
  }

  /** Ends month m: the next month starts from the extract's subscriptions still active. */
  settle(extract: readonly Sub[]): void {
    this.active = extract.filter((s) => s.terminated < 0);
  }

  private markBundles(): void {
    for (const s of this.active) if (s.bundle) s.bundle.mask = 0;
    for (const s of this.active) if (s.bundle) s.bundle.mask |= 1 << s.service;
  }

  /** An existing customer takes one more service; a customer without a bundle gets one now. */
  private upsell(cust: Customer, m: Month): Sub {
    const live = cust.subs.filter((s) => s.terminated < 0);
    let has = 0;
    for (const s of live) has |= 1 << s.service;
    const service = !(has & (1 << SVC.broadband))
      ? SVC.broadband
      : !(has & (1 << SVC.iptv)) && this.rng.chance(0.6)
        ? SVC.iptv
        : SVC.mobile;
    if (!cust.bundle) {
      cust.bundle = this.newBundle(cust);
      for (const s of live) this.joinBundle(s, cust.bundle);
    }
    const day = this.rng.int(m.first, m.last);
    const [sub] = this.createSubs(cust, [service], [day], this.pickChannel(cust, day));
    if (!sub) throw new Error('upsell created no subscription');
    return sub;
  }

  private addCustomer(city: number, segment: number, services: number[], days: number[], bundled: boolean, m: Month | null): Sub[] {
    const cust: Customer = {
      id: `C${300_000_000 + this.customerCount++}`,
      city,
      segment,
      tier: tierFor(this.rng, segment),
      bundle: null,
      subs: [],
      decidedMonth: -1,
      leaveDay: -1,
    };
    if (bundled) cust.bundle = this.newBundle(cust);
    // A new customer buys everything at once from one outlet; the base was sold piece by piece.
    const channel = m ? this.pickChannel(cust, days[0] ?? m.first) : undefined;
    const subs = this.createSubs(cust, services, days, channel);
    if (!m) this.active.push(...subs);
    return subs;
  }

  private createSubs(cust: Customer, services: number[], days: number[], channel: Outlet | null | undefined): Sub[] {
    const city = CITIES[cust.city];
    const factor = (city?.arpu ?? 1) * (cust.segment === SEG.enterprise ? ENTERPRISE_TARIFF_FACTOR : 1);
    return services.map((service, i) => {
      const day = days[i] ?? days[0] ?? 0;
      const sub: Sub = {
        idx: this.subCount,
        id: `S${1_000_000_000 + this.subCount++}`,
        customer: cust,
        service,
        plan: cust.bundle ? cust.bundle.plan : standalonePlan(service, cust.tier, cust.segment),
        bundle: cust.bundle,
        channel: channel === undefined ? this.pickChannel(cust, day) : channel,
        activated: day,
        terminated: -1,
        fees: (SERVICE_ITEMS[service] ?? []).map((t) => Math.round((t.fen[cust.tier] ?? 0) * factor * this.rng.uniform(0.9, 1.1))),
        text: '',
      };
      cust.subs.push(sub);
      return sub;
    });
  }

  private newBundle(cust: Customer): Bundle {
    return {
      id: `RH${70_000_000 + this.bundleCount++}`,
      plan: bundlePlan(cust.tier, cust.segment),
      discountPct: bundleDiscountPct(this.rng, cust.tier),
      mask: 0,
    };
  }

  private joinBundle(sub: Sub, bundle: Bundle): void {
    sub.bundle = bundle;
    sub.plan = bundle.plan;
    sub.text = '';
  }

  /** The outlet that sold a subscription on `day`: by customer group, open that day, in the customer's city. */
  private pickChannel(cust: Customer, day: number): Outlet | null {
    if (this.rng.chance(UNATTRIBUTED)) return null;
    const type = this.rng.weighted(cust.segment === SEG.enterprise ? ENTERPRISE_CHANNEL_WEIGHTS : CONSUMER_CHANNEL_WEIGHTS);
    return this.outlets.pick(this.rng, cust.city, type, day) ?? this.outlets.flagship(cust.city);
  }
}
