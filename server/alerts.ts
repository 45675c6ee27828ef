// The alert service (targets.md "Alerts"): after every model run it judges the rules for the newest
// month each touched region has (and re-judges the alerts still firing in those regions, so a corrected
// file resolves them), fires once per (rule, region, month) while a condition holds, resolves when it
// stops, pushes the `alert` event to the boards of the region (and of users without one), and hands
// each change to the webhooks.
//
// It never holds up a load: it works on a connection of its own, one change at a time on a queue of its
// own (rules, acknowledgements and evaluations take turns there, never on the writer's queue), starts
// after the model run has committed, and webhook deliveries run in the background.
import { type AlertCondition, type AlertRule, type AlertRuleInput, type Judged, judge } from '../domain/alerts.ts';
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { addMonths } from '../domain/period.ts';
import { alertMessage } from '../charts/alert-text.ts';
import { regionName } from '../charts/labels.ts';
import { figureKey, kpiFigures, newestMonths } from '../queries/alerts.ts';
import { type TargetRow, judgeMonth } from '../queries/targets.ts';
import * as store from '../warehouse/alerts.ts';
import type { StoredAlert } from '../warehouse/alerts.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { errorMessage } from '../warehouse/errors.ts';
import { listRegions } from '../warehouse/regions.ts';
import type { EventHub } from './events.ts';
import type { Logger } from './ingest-service.ts';
import { type AlertPayload, DEFAULT_WEBHOOKS, type WebhookSettings, deliverWebhook, webhookBody } from './webhooks.ts';
import { WriteQueue } from './write-queue.ts';

export interface AlertServiceDeps {
  /** A connection of the service's own. */
  db: Warehouse;
  /** Where `alert` events go (the server's hub; nowhere for a command on the file). */
  events: Pick<EventHub, 'alert'>;
  now: () => Date;
  log: Logger;
  webhooks: WebhookSettings;
  /** The dashboard's address, for the link in every message (PUBLIC_URL, else the server's own). */
  baseUrl: () => string;
}

/** An alert as GET /api/alerts and the `alert` event give it. */
export interface AlertView extends StoredAlert {
  message_zh: string;
  message_en: string;
}

export interface Evaluation {
  /** (rule, region, month) judged. */
  judged: number;
  fired: AlertView[];
  resolved: AlertView[];
  /** Still holding and already firing: not fired again. */
  still_firing: number;
}

/** Which regions a model run touched: every one (a full run) or those of its slices (ALL with any). */
export type Touched = 'all' | ReadonlySet<string>;

export class AlertService {
  private readonly queue = new WriteQueue();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();
  private closed = false;

  constructor(private readonly d: AlertServiceDeps) {}

  /** After a model run: judge in the background, never in the run's way. */
  afterModels(run: { status: string; slices: readonly { region_code: string }[] | null }): void {
    if (this.closed) return;
    const touched: Touched = run.slices === null ? 'all' : new Set(run.slices.map((s) => s.region_code));
    if (touched !== 'all' && touched.size === 0) return;
    this.track(
      this.evaluate(touched).catch((err: unknown) => {
        this.d.log.error(`alerts: evaluating the rules after model run failed: ${errorMessage(err)}`);
      }),
    );
  }

  /** Judges the rules for the touched regions now (POST /api/alerts/evaluate: every region). */
  evaluate(touched: Touched = 'all'): Promise<Evaluation> {
    return this.queue.run(() => this.judgeRules(touched));
  }

  addRule(rule: AlertRuleInput, by: string): Promise<AlertRule> {
    return this.queue.run(() => store.addRule(this.d.db, rule, by, this.d.now()));
  }

  listRules(): Promise<AlertRule[]> {
    return this.queue.run(() => store.listRules(this.d.db));
  }

  /** False when there is no such rule; its firing alerts are resolved (and the boards told). */
  async removeRule(id: number): Promise<boolean> {
    const [resolved, names] = await this.queue.run(async () => [await store.removeRule(this.d.db, id, this.d.now()), await this.regionNames()] as const);
    if (resolved === null) return false;
    if (resolved.length > 0) {
      for (const a of resolved) {
        // The rule is gone, so its condition only frames the message; the boards drop the banner.
        this.d.events.alert(this.view(a, { op: '>', value: a.threshold ?? 0 }, names));
      }
    }
    return true;
  }

  async list(opts: { region: string | null; status?: 'firing' | 'resolved'; limit: number }): Promise<(AlertView & { deliveries: DeliverySummary[] })[]> {
    const [alerts, tries, rules, names] = await this.queue.run(async () => {
      const found = await store.listAlerts(this.d.db, opts);
      return [
        found,
        await store.deliveryTries(this.d.db, found.map((a) => a.id)),
        new Map((await store.listRules(this.d.db)).map((r) => [r.id, r])),
        await this.regionNames(),
      ] as const;
    });
    return alerts.map((a) => ({
      ...this.view(a, rules.get(a.rule_id)?.condition ?? { op: '>', value: a.threshold ?? 0 }, names),
      deliveries: summarise(
        tries.filter((t) => t.alert_id === a.id),
        rules.get(a.rule_id)?.deliveries ?? [],
      ),
    }));
  }

  get(id: number): Promise<StoredAlert | null> {
    return this.queue.run(() => store.getAlert(this.d.db, id));
  }

  ack(id: number, by: string): Promise<StoredAlert | null> {
    return this.queue.run(() => store.ackAlert(this.d.db, id, by, this.d.now()));
  }

  /** Resolves when the evaluations and deliveries started so far are done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.queue.pending > 0) {
      await Promise.allSettled([...this.inFlight]);
      await this.queue.idle();
    }
  }

  /** Stops: deliveries still waiting are cancelled (their tries so far stay recorded). */
  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    await this.idle();
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async regionNames(): Promise<{ code: string; nameZh: string; nameEn: string }[]> {
    return (await listRegions(this.d.db)).map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en ?? r.name_zh }));
  }

  private view(a: StoredAlert, condition: AlertCondition, names: { code: string; nameZh: string; nameEn: string }[]): AlertView {
    const facts = { kpi: a.kpi, period: a.period, status: a.status, condition, value: a.value, threshold: a.threshold };
    return {
      ...a,
      message_zh: alertMessage({ ...facts, regionName: regionName(a.region_code, 'zh', names) }, 'zh'),
      message_en: alertMessage({ ...facts, regionName: regionName(a.region_code, 'en', names) }, 'en'),
    };
  }

  private async judgeRules(touched: Touched): Promise<Evaluation> {
    const db = this.d.db;
    const rules = await store.listRules(db);
    const result: Evaluation = { judged: 0, fired: [], resolved: [], still_firing: 0 };
    if (rules.length === 0) return result;
    const [regionList, firing, newest] = [await this.regionNames(), await store.firingAlerts(db), await newestMonths(db)];
    const codes = regionList.map((r) => r.code);
    const isTouched = (region: string) => touched === 'all' || (region === 'ALL' ? touched.size > 0 : touched.has(region));
    // (rule, region, month) to judge: the newest month of the KPI's main extract in each touched region
    // of the rule's scope, and the months of the rule's alerts still firing in touched regions (a
    // corrected file may resolve them).
    const work: { rule: AlertRule; region: string; period: string; open: StoredAlert | undefined }[] = [];
    for (const rule of rules) {
      const months = newest.get(kpiDefinition(rule.kpi)!.sources[0]!) ?? new Map<string, string>();
      const pairs = new Map<string, { region: string; period: string }>();
      for (const region of rule.scope === 'each' ? codes : [rule.scope]) {
        const period = months.get(region);
        if (period && isTouched(region)) pairs.set(figureKey(region, period), { region, period });
      }
      const own = firing.filter((a) => a.rule_id === rule.id);
      for (const a of own) if (isTouched(a.region_code)) pairs.set(figureKey(a.region_code, a.period), { region: a.region_code, period: a.period });
      for (const { region, period } of pairs.values()) {
        work.push({ rule, region, period, open: own.find((a) => a.region_code === region && a.period === period) });
      }
    }
    if (work.length === 0) return result;
    const figures = await kpiFigures(db, [...new Set(work.map((w) => w.period))]);
    // Status red: the targets judged once per month for every region (queries/targets.ts), never a
    // second attainment computation here.
    const targets = new Map<string, TargetRow>();
    for (const period of new Set(work.filter((w) => 'status' in w.rule.condition).map((w) => w.period))) {
      for (const r of (await judgeMonth(db, { period })).regions) {
        for (const row of r.rows) targets.set(`${figureKey(r.region_code, period)}|${row.kpi}`, row);
      }
    }
    const judged: ((typeof work)[number] & Judged)[] = [];
    for (const w of work) {
      const target = targets.get(`${figureKey(w.region, w.period)}|${w.rule.kpi}`);
      const j = judge(w.rule.condition, {
        current: figures.get(figureKey(w.region, w.period))?.[w.rule.kpi] ?? null,
        previous: figures.get(figureKey(w.region, addMonths(w.period, -1)))?.[w.rule.kpi] ?? null,
        attainment: target?.attainment ?? null,
        status: target?.status ?? null,
      });
      judged.push({ ...w, ...j });
    }
    result.judged = judged.length;
    // Every change in two statements and one transaction, however many alerts fire or resolve.
    const toFire = judged.filter((w) => w.holds && !w.open);
    const toResolve = judged.filter((w) => !w.holds && w.open);
    result.still_firing = judged.filter((w) => w.holds && w.open).length;
    const [fired, resolved] = await db.transaction(async () => [
      await store.fireAlerts(db, toFire.map((w) => ({ rule: w.rule, region_code: w.region, period: w.period, value: w.value, threshold: w.threshold })), this.d.now()),
      await store.resolveAlerts(db, toResolve.map((w) => w.open!.id), this.d.now()),
    ] as const);
    fired.forEach((a, i) => result.fired.push(this.announce(a, toFire[i]!.rule, regionList, a.value)));
    for (const a of resolved) {
      const w = toResolve.find((x) => x.open!.id === a.id)!;
      result.resolved.push(this.announce(a, w.rule, regionList, w.value));
    }
    if (result.fired.length || result.resolved.length) {
      this.d.log.info(`alerts: ${result.fired.length} fired, ${result.resolved.length} resolved (${result.judged} judged)`);
    }
    return result;
  }

  /** Pushes the event and starts the webhooks; `value` is the figure now (at resolution, the new one). */
  private announce(a: StoredAlert, rule: AlertRule, names: { code: string; nameZh: string; nameEn: string }[], value: number | null): AlertView {
    const view = this.view({ ...a, value }, rule.condition, names);
    this.d.events.alert(view);
    if (rule.deliveries.length > 0 && !this.closed) {
      const payload: AlertPayload = {
        rule: rule.name,
        kpi: rule.kpi,
        region_code: a.region_code,
        region_name: regionName(a.region_code, 'zh', names),
        period: a.period,
        value,
        threshold: a.threshold,
        status: a.status,
        message_zh: view.message_zh,
        message_en: view.message_en,
        url: this.boardUrl(a.region_code, a.period),
      };
      const label = kpiDefinition(rule.kpi)?.label_zh ?? rule.kpi;
      for (const d of rule.deliveries) {
        this.track(
          deliverWebhook(
            d.url,
            d.format,
            webhookBody(d.format, payload, label),
            this.d.webhooks,
            (t) => this.queue.run(() => store.recordTry(this.d.db, { alert_id: a.id, event: a.status, url: d.url, format: d.format, try: t.try, status_code: t.status_code, error: t.error }, this.d.now())),
            this.stop.signal,
          ).then((ok) => {
            if (!ok) this.d.log.error(`alerts: webhook ${d.url} of rule "${rule.name}" failed for alert ${a.id}`);
          }),
        );
      }
    }
    return view;
  }

  private boardUrl(region: string, period: string): string {
    const q = new URLSearchParams({ period });
    if (region !== 'ALL') q.set('region', region);
    return `${this.d.baseUrl().replace(/\/+$/, '')}/?${q.toString()}`;
  }
}

/**
 * A model run on the warehouse file, without a server (`npm run models` on the file): the rules judged
 * the same way, and the command waits for its webhooks before it ends. No board is listening.
 */
export async function judgeAfterRunOnFile(wh: Warehouse, run: { slices: readonly { region_code: string }[] | null }, log: Logger): Promise<Evaluation> {
  const service = new AlertService({
    db: wh,
    events: { alert: () => {} },
    now: () => new Date(),
    log,
    webhooks: DEFAULT_WEBHOOKS,
    baseUrl: () => process.env.PUBLIC_URL || 'http://127.0.0.1:8080',
  });
  try {
    return await service.evaluate(run.slices === null ? 'all' : new Set(run.slices.map((s) => s.region_code)));
  } finally {
    await service.idle();
  }
}

/** What GET /api/alerts says of each webhook: its tries and the last outcome (a status code, or the error). */
export interface DeliverySummary {
  url: string;
  format: string;
  tries: number;
  last_status: number | string | null;
  log: { event: string; try: number; at: string; status_code: number | null; error: string | null }[];
}

function summarise(tries: store.DeliveryTry[], configured: readonly { url: string; format: string }[]): DeliverySummary[] {
  const byUrl = new Map<string, DeliverySummary>();
  for (const d of configured) byUrl.set(d.url, { url: d.url, format: d.format, tries: 0, last_status: null, log: [] });
  for (const t of tries) {
    const s = byUrl.get(t.url) ?? { url: t.url, format: t.format, tries: 0, last_status: null, log: [] };
    s.tries++;
    s.last_status = t.error === null ? t.status_code : t.status_code !== null ? t.status_code : t.error;
    s.log.push({ event: t.event, try: t.try, at: t.at, status_code: t.status_code, error: t.error });
    byUrl.set(t.url, s);
  }
  return [...byUrl.values()];
}
