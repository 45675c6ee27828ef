// Rows of the four extracts as the contracts of extracts.md spell them. Subscriber and revenue
// rows are the millions: they are built as ready CSV lines from cached pieces. Complaint and
// channel rows are few and go through `localize`, which can write the Chinese labels of BSS exports.
import {
  CHANNEL_TYPES,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SOURCES,
  CONTRACTS,
  REVENUE_ITEMS,
  SATISFACTION,
  SEGMENTS,
  SERVICES,
  type Kind,
} from '../domain/contracts.ts';
import { money, type DateTexts, type Month } from './calendar.ts';
import { ITEM, SERVICE_ITEMS } from './catalogue.ts';
import type { Complaint } from './complaints.ts';
import type { Sub } from './population.ts';
import { hashUnit } from './random.ts';
import { CITIES, CONVERGED_BONUS_FEN, isSocial, type Outlet } from './world.ts';

const codes = (list: readonly { code: string }[]): string[] => list.map((v) => v.code);
const SERVICE_CODES = codes(SERVICES);
const SEGMENT_CODES = codes(SEGMENTS);
const ITEM_CODES = codes(REVENUE_ITEMS);
const CITY_CODES = CITIES.map((c) => c.code);
const OTHER = ITEM_CODES[ITEM.other] ?? 'other';

export function header(kind: Kind, chinese: boolean): string[] {
  return CONTRACTS[kind].columns.map((c) => (chinese ? c.alias : c.name));
}

/** English codes → Chinese labels (and true/false → 是/否) for the columns of `kind`. */
export function localize(kind: Kind, values: string[], chinese: boolean): string[] {
  if (!chinese) return values;
  return CONTRACTS[kind].columns.map((col, i) => {
    const v = values[i] ?? '';
    if (v === '') return v;
    if (col.type === 'bool') return v === 'true' ? '是' : '否';
    return col.values?.find((e) => e.code === v)?.label ?? v;
  });
}

export class RowFormatter {
  constructor(
    private readonly dates: DateTexts,
    private readonly seed: number,
  ) {}

  subscriberLine(period: string, s: Sub): string {
    if (s.text === '') {
      const cust = s.customer;
      s.text =
        `${s.id},${cust.id},${SEGMENT_CODES[cust.segment]},${CITY_CODES[cust.city]},${SERVICE_CODES[s.service]},` +
        `${s.plan},${s.bundle ? s.bundle.id : ''},${s.channel ? s.channel.id : ''},${this.dates.of(s.activated)},`;
    }
    return `${period},${s.text}${s.terminated >= 0 ? this.dates.of(s.terminated) : ''}\n`;
  }

  /**
   * The month's bill of one subscription: every item of its service, prorated by the days it was
   * active, usage items varying by a hash of (subscription, month, item) so that a row's amount
   * never depends on the rows before it. Bundle members get their cross-product discount on the
   * service's main item. All in integer fen.
   */
  revenueLines(m: Month, s: Sub, emit: (line: string) => void): void {
    const from = s.activated > m.first ? s.activated : m.first;
    const to = s.terminated >= 0 && s.terminated < m.last ? s.terminated : m.last;
    const days = to - from + 1;
    const cust = s.customer;
    const prefix = `${m.period},${s.id},${cust.id},${CITY_CODES[cust.city]},${SERVICE_CODES[s.service]},`;
    const tariffs = SERVICE_ITEMS[s.service] ?? [];
    for (let i = 0; i < tariffs.length; i++) {
      const t = tariffs[i];
      if (!t) continue;
      let fen = s.fees[i] ?? 0;
      if (t.usage) fen = Math.round(fen * (0.6 + 0.8 * hashUnit(this.seed, s.idx, m.index, i)));
      if (days < m.days) fen = Math.round((fen * days) / m.days);
      const discount = i === 0 && s.bundle ? Math.max(1, Math.round((fen * s.bundle.discountPct) / 100)) : 0;
      emit(`${prefix}${ITEM_CODES[t.item]},${money(fen)},${money(discount)}\n`);
    }
    // Very few adjustments: mostly credits for service failures, now and then a one-off fee.
    const u = hashUnit(this.seed, s.idx, m.index, 97);
    if (u < 0.0015) {
      const fen = 500 + Math.floor(hashUnit(this.seed, s.idx, m.index, 98) * 4500);
      emit(`${prefix}${OTHER},${money(u < 0.001 ? -fen : fen)},0.00\n`);
    }
  }

  complaintRow(c: Complaint, chinese: boolean): string[] {
    return localize(
      'complaint',
      [
        c.id,
        this.dates.timestamp(c.received),
        CITY_CODES[c.city] ?? '',
        c.sub ? c.sub.customer.id : '',
        c.service >= 0 ? (SERVICE_CODES[c.service] ?? '') : '',
        COMPLAINT_CATEGORIES[c.category]?.code ?? '',
        COMPLAINT_SOURCES[c.source]?.code ?? '',
        c.resolved >= 0 ? this.dates.timestamp(c.resolved) : '',
        c.slaHours > 0 ? String(c.slaHours) : '',
        c.satisfaction >= 0 ? (SATISFACTION[c.satisfaction]?.code ?? '') : '',
        c.repeatOf,
      ],
      chinese,
    );
  }

  /** The outlet as of the end of m: a closing date still in the future is not known yet. */
  channelRow(m: Month, o: Outlet, chinese: boolean): string[] {
    return localize(
      'channel',
      [
        m.period,
        o.id,
        o.name,
        CHANNEL_TYPES[o.type]?.code ?? '',
        CITY_CODES[o.city] ?? '',
        o.exclusive === null ? '' : String(o.exclusive),
        this.dates.of(o.opened),
        o.closed >= 0 && o.closed <= m.last ? this.dates.of(o.closed) : '',
        money(commissionFen(o)),
      ],
      chinese,
    );
  }
}

/** Social outlets are paid per gross add (more for a converged one); staff channels are not. */
export function commissionFen(o: Outlet): number {
  return isSocial(o.type) ? o.adds * o.rateFen + o.convergedAdds * CONVERGED_BONUS_FEN : 0;
}
