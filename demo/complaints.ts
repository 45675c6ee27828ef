// Complaints (投诉) of a month: a city-dependent rate per 10,000 subscriptions, some escalated
// (越级), most handled within their time limit, a few still open when the month's extract is
// taken, ~5% repeats of an earlier complaint by the same customer.
import { COMPLAINT_CATEGORIES, COMPLAINT_SOURCES, ESCALATED_SOURCES, SATISFACTION } from '../domain/contracts.ts';
import type { Month } from './calendar.ts';
import { SVC } from './catalogue.ts';
import type { Sub } from './population.ts';
import type { Random } from './random.ts';
import { CITIES } from './world.ts';

export interface Complaint {
  id: string;
  /** Seconds on the naive local axis of demo-data-calendar.ts. */
  received: number;
  city: number;
  /** null for a complaint whose caller gave no customer id. */
  sub: Sub | null;
  /** −1 when the service is not recorded. */
  service: number;
  category: number;
  source: number;
  /** −1 while open at the end of the month. */
  resolved: number;
  /** 0 when the cell stays empty (the contract's default applies). */
  slaHours: number;
  satisfaction: number;
  repeatOf: string;
}

const code = (list: readonly { code: string }[], c: string): number => list.findIndex((v) => v.code === c);
const INSTALLATION = code(COMPLAINT_CATEGORIES, 'installation');
const byCategory = (weights: Record<string, number>) => COMPLAINT_CATEGORIES.map((c) => weights[c.code] ?? 0);
// Installation (装维) complaints come from the services a technician installs.
const CATEGORY_WEIGHTS: Record<number, number[]> = {
  [SVC.mobile]: byCategory({ billing: 30, network: 35, service_attitude: 10, product: 15, installation: 2, other: 8 }),
  [SVC.fixedVoice]: byCategory({ billing: 30, network: 20, service_attitude: 12, product: 10, installation: 15, other: 13 }),
  [SVC.broadband]: byCategory({ billing: 15, network: 30, service_attitude: 10, product: 8, installation: 30, other: 7 }),
  [SVC.iptv]: byCategory({ billing: 15, network: 20, service_attitude: 8, product: 12, installation: 35, other: 10 }),
};
const UNKNOWN_SERVICE_WEIGHTS = byCategory({ billing: 25, network: 30, service_attitude: 15, product: 15, installation: 5, other: 10 });
const ORDINARY_SOURCES = ['hotline', 'hall', 'online'].map((c) => code(COMPLAINT_SOURCES, c));
const ORDINARY_WEIGHTS = [62, 18, 20];
const ESCALATED = ESCALATED_SOURCES.map((c) => code(COMPLAINT_SOURCES, c));
const ESCALATED_WEIGHTS = [20, 50, 30];
// Calls come in office hours mostly.
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9, 7, 8, 9, 9, 8, 7, 6, 6, 5, 4, 3, 2];
const SATISFIED = [code(SATISFACTION, 'satisfied'), code(SATISFACTION, 'neutral'), code(SATISFACTION, 'dissatisfied')];
const REPEAT_SHARE = 0.05;

interface PoolEntry {
  id: string;
  received: number;
  sub: Sub;
  service: number;
  category: number;
  month: number;
}

export class ComplaintDesk {
  /** Recent complaints with a known customer, per city: what a repeat complaint can refer to. */
  private readonly pool: PoolEntry[][] = CITIES.map(() => []);

  constructor(private readonly rng: Random) {}

  /** The complaints received in month m, in id (= time) order, about the month's extract. */
  month(m: Month, extract: readonly Sub[]): Complaint[] {
    const byCity: Sub[][] = CITIES.map(() => []);
    const activeCount = CITIES.map(() => 0);
    for (const s of extract) {
      byCity[s.customer.city]?.push(s);
      if (s.terminated < 0) activeCount[s.customer.city]++;
    }
    const monthEnd = (m.last + 1) * 86_400 - 1;
    const list: Complaint[] = [];
    CITIES.forEach((city, c) => {
      const subs = byCity[c] ?? [];
      if (subs.length === 0) return;
      const n = this.rng.count(((city.complaintsPer10k * (activeCount[c] ?? 0)) / 10_000) * this.rng.uniform(0.8, 1.2));
      const escalated = Math.min(0.1, Math.max(0.03, city.escalated * this.rng.uniform(0.8, 1.2)));
      for (let i = 0; i < n; i++) list.push(this.one(m, c, subs, escalated, monthEnd));
    });
    list.sort((a, b) => a.received - b.received || a.city - b.city);
    list.forEach((complaint, i) => {
      complaint.id = `TS${m.compact}${String(i + 1).padStart(6, '0')}`;
      this.maybeRepeat(complaint);
      if (complaint.sub) {
        this.pool[complaint.city]?.push({ ...complaint, sub: complaint.sub, month: m.index });
      }
    });
    for (let c = 0; c < this.pool.length; c++) this.pool[c] = (this.pool[c] ?? []).filter((e) => e.month >= m.index - 2);
    return list;
  }

  private one(m: Month, city: number, subs: readonly Sub[], escalatedShare: number, monthEnd: number): Complaint {
    const rng = this.rng;
    const anonymous = rng.chance(0.03);
    const sub = anonymous ? null : rng.pick(subs);
    const service = sub ? sub.service : rng.chance(0.5) ? rng.int(0, 3) : -1;
    const category = rng.weighted(CATEGORY_WEIGHTS[service] ?? UNKNOWN_SERVICE_WEIGHTS);
    const escalated = rng.chance(escalatedShare);
    const source = escalated ? (ESCALATED[rng.weighted(ESCALATED_WEIGHTS)] ?? 0) : (ORDINARY_SOURCES[rng.weighted(ORDINARY_WEIGHTS)] ?? 0);
    const received = (rng.int(m.first, m.last) * 24 + rng.weighted(HOUR_WEIGHTS)) * 3600 + rng.int(0, 3599);
    // Half the rows leave the time limit empty, so the contract's default (48 h, 72 h for 装维) applies.
    const slaHours = rng.chance(0.5)
      ? 0
      : escalated
        ? 24
        : category === INSTALLATION
          ? [48, 72][rng.weighted([40, 60])] ?? 72
          : [24, 48, 72][rng.weighted([30, 50, 20])] ?? 48;
    const limit = slaHours || (category === INSTALLATION ? 72 : 48);
    const r = rng.float();
    const late = r >= 0.015 && r < 0.015 + 0.1;
    let resolved = r < 0.015 ? -1 : received + Math.max(60, Math.round(limit * 3600 * (late ? rng.uniform(1.05, 3) : rng.uniform(0.05, 0.97))));
    // The extract is taken at the end of the month: a later resolution is not known yet.
    if (resolved > monthEnd) resolved = -1;
    const satisfaction =
      resolved >= 0 && rng.chance(0.85) ? (SATISFIED[rng.weighted(late || escalated ? [40, 30, 30] : [80, 14, 6])] ?? -1) : -1;
    return { id: '', received, city, sub, service, category, source, resolved, slaHours, satisfaction, repeatOf: '' };
  }

  /** Turns the complaint into a repeat of an earlier one by the same customer, about the same thing. */
  private maybeRepeat(complaint: Complaint): void {
    const pool = this.pool[complaint.city] ?? [];
    if (pool.length === 0 || !this.rng.chance(REPEAT_SHARE)) return;
    const target = this.rng.pick(pool);
    if (target.received >= complaint.received) return;
    complaint.sub = target.sub;
    complaint.service = target.service;
    complaint.category = target.category;
    complaint.repeatOf = target.id;
  }
}
