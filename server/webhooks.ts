// Webhook deliveries of alerts (targets.md "Alerts"): one POST of JSON per try, a time limit per try,
// up to `tries` tries with doubling back-off, each try reported (status code or error) for the
// delivery log. The bodies: `json` (the fixed shape), `wecom` (企业微信 group robot, markdown) and
// `dingtalk` (钉钉 group robot, markdown). Nothing here waits on a load: the alert service starts a
// delivery and moves on.
import type { AlertStatus, DeliveryFormat } from '../domain/alerts.ts';

/** The `json` body, exactly as targets.md fixes it. */
export interface AlertPayload {
  rule: string;
  kpi: string;
  region_code: string;
  region_name: string;
  period: string;
  value: number | null;
  threshold: number | null;
  status: AlertStatus;
  message_zh: string;
  message_en: string;
  url: string;
}

export interface WebhookSettings {
  /** Per try. */
  timeoutMs: number;
  tries: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs: number;
}

export const DEFAULT_WEBHOOKS: WebhookSettings = { timeoutMs: 5000, tries: 3, backoffMs: 1000 };

export function webhookBody(format: DeliveryFormat, p: AlertPayload, kpiLabelZh: string): unknown {
  if (format === 'json') {
    const { rule, kpi, region_code, region_name, period, value, threshold, status, message_zh, message_en, url } = p;
    return { rule, kpi, region_code, region_name, period, value, threshold, status, message_zh, message_en, url };
  }
  const title = `${p.status === 'resolved' ? '预警解除' : '预警'}：${p.region_name} ${kpiLabelZh}`;
  const lines = [
    `### ${p.message_zh}`,
    `> 规则：${p.rule}`,
    `> 地区：${p.region_name}（${p.region_code}）  月份：${p.period}`,
    '',
    p.message_en,
    '',
    `[查看看板 / Open the board](${p.url})`,
  ];
  if (format === 'wecom') return { msgtype: 'markdown', markdown: { content: lines.join('\n') } };
  return { msgtype: 'markdown', markdown: { title, text: lines.join('\n') } };
}

export interface TryOutcome {
  try: number;
  status_code: number | null;
  error: string | null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Why a fetch failed, in a few words (no stack, no internals). */
function reason(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${timeoutMs} ms`;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError') return 'cancelled (server stopping)';
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  return (code ? `${code}: ` : '') + (e?.cause?.message ?? e?.message ?? String(err));
}

/**
 * A robot answers 200 with {"errcode": N} when it refuses a message (bad key, rate limit): that is a
 * failure too, and its errcode is what the log should say.
 */
async function robotRefusal(res: Response, format: DeliveryFormat): Promise<string | null> {
  if (format === 'json') return null;
  try {
    const body = (await res.json()) as { errcode?: unknown; errmsg?: unknown };
    if (typeof body.errcode === 'number' && body.errcode !== 0) return `errcode ${body.errcode}: ${String(body.errmsg ?? '')}`.trim();
  } catch {
    // not JSON: the status code decides
  }
  return null;
}

/**
 * POSTs `body` to `url` until a 2xx, at most `tries` times; `record` is called after every try, in
 * order. Never throws; `signal` cancels (the server is stopping).
 */
export async function deliverWebhook(
  url: string,
  format: DeliveryFormat,
  body: unknown,
  settings: WebhookSettings,
  record: (t: TryOutcome) => Promise<void>,
  signal: AbortSignal,
): Promise<boolean> {
  const text = JSON.stringify(body);
  for (let n = 1; n <= settings.tries; n++) {
    if (signal.aborted) return false;
    if (n > 1) await sleep(settings.backoffMs * 2 ** (n - 2), signal);
    if (signal.aborted) return false;
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    let outcome: TryOutcome;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'tca-alerts/1' },
        body: text,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, signal]),
      });
      const refusal = res.ok ? await robotRefusal(res, format) : null;
      if (!res.bodyUsed) await res.body?.cancel().catch(() => undefined);
      outcome = { try: n, status_code: res.status, error: res.ok ? refusal : `HTTP ${res.status}` };
    } catch (err) {
      outcome = { try: n, status_code: null, error: reason(err, timeout.aborted, settings.timeoutMs) };
    }
    try {
      await record(outcome);
    } catch {
      // the log could not be written (the server is closing): the delivery itself stands
    }
    if (outcome.error === null) return true;
  }
  return false;
}
