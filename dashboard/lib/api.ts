// The one place the dashboard talks HTTP. Every call goes to the same origin (the express server
// that serves this build), sends the session cookie, and turns {"error": …} answers into ApiError.
import type {
  BreakdownRow,
  IngestFileResult,
  KpiResult,
  LoadRecord,
  RejectRow,
  SchemaTable,
  SeriesPoint,
  User,
} from './types.ts';
import { addMonths, currentMonth } from '../../domain/period.ts';
import type { RankingResult } from '../../domain/kpi-answers.ts';
import type { ScorecardResult, TargetsResult } from '../../domain/targets.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Called on any 401 so the app can return to the login page (the session ended or expired). */
let unauthorized: () => void = () => {};
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

async function fail(res: Response): Promise<never> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) unauthorized();
  throw new ApiError(res.status, message);
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  if (!res.ok) await fail(res);
  return res;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await request(path, signal ? { signal } : {});
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body: unknown, init: RequestInit = {}): Promise<T> {
  const res = await request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

/** Login and /api/me answer {user: NAME, role, region}; a {user: {name, role, region_code}} reads the same. */
function toUser(body: unknown): User {
  type Raw = { user?: unknown; name?: string; role?: User['role']; region?: string | null; region_code?: string | null };
  const b = body as Raw;
  const u: Raw = b.user && typeof b.user === 'object' ? (b.user as Raw) : b;
  const name = typeof b.user === 'string' ? b.user : (u.name ?? '');
  return { name, role: u.role!, region_code: u.region_code ?? u.region ?? null };
}

export const api = {
  async login(user: string, password: string): Promise<User> {
    return toUser(await postJson('/api/login', { user, password }));
  },
  async logout(): Promise<void> {
    await request('/api/logout', { method: 'POST' });
  },
  /** The signed-in user, or null without a session. */
  async me(): Promise<User | null> {
    const res = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401 || res.status === 404) return null;
    if (!res.ok) await fail(res);
    return toUser(await res.json());
  },
  async kpis(period: string, region: string, signal?: AbortSignal, segment?: string): Promise<KpiResult> {
    const body = await getJson<Partial<KpiResult> & Pick<KpiResult, 'period' | 'region' | 'kpis'>>(`/api/kpis?${qs({ period, region, segment })}`, signal);
    // A server older than KPI version 2 says nothing of missing extracts: nothing is known missing.
    return { ...body, missing_extracts: body.missing_extracts ?? {} };
  },
  async series(key: string, region: string, from: string, to: string, signal?: AbortSignal): Promise<SeriesPoint[]> {
    const body = await getJson<{ points: SeriesPoint[] }>(`/api/kpis/series?${qs({ key, region, from, to })}`, signal);
    return body.points;
  },
  /**
   * Months with figures for a region, oldest first: from the active-subscription series over a wide
   * window (periods without a subscriber extract come back null and are left out).
   */
  async periods(region: string): Promise<string[]> {
    const to = addMonths(currentMonth(), 1);
    const points = await api.series('active_subscriptions', region, addMonths(to, -59), to);
    return points.filter((p) => p.value !== null).map((p) => p.period.slice(0, 7)).sort();
  },
  /** A region's targets judged for a month, with its score and rank (a regional user: their own city). */
  targets(period: string, region: string, signal?: AbortSignal): Promise<TargetsResult> {
    return getJson(`/api/targets?${qs({ period, region })}`, signal);
  },
  /** Every city's score and rank for a month (not for regional users). */
  scorecard(period: string, signal?: AbortSignal): Promise<ScorecardResult> {
    return getJson(`/api/scorecard?${qs({ period })}`, signal);
  },
  /** One KPI across the cities, ranked by its direction (not for regional users). */
  ranking(key: string, period: string, signal?: AbortSignal): Promise<RankingResult> {
    return getJson(`/api/kpis/ranking?${qs({ key, period })}`, signal);
  },
  /** One month's figures by segment, service, channel type, complaint category or source. */
  breakdown(dimension: string, period: string, region: string, signal?: AbortSignal): Promise<{ rows: BreakdownRow[] }> {
    return getJson(`/api/kpis/breakdown?${qs({ dimension, period, region })}`, signal);
  },
  schema(): Promise<{ tables: SchemaTable[] } | SchemaTable[]> {
    return getJson('/api/schema');
  },
  loads(): Promise<{ loads: LoadRecord[] } | LoadRecord[]> {
    return getJson('/api/loads');
  },
  rejects(loadId: number): Promise<{ rejects: RejectRow[] } | RejectRow[]> {
    return getJson(`/api/loads/${loadId}/rejects`);
  },
  health(): Promise<Record<string, unknown>> {
    return getJson('/api/health');
  },
};

/**
 * Uploads one extract with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * One request per file, so each file has its own bar and its own result.
 */
export function uploadExtract(file: File, onProgress: (fraction: number) => void, kind?: string): { done: Promise<IngestFileResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<IngestFileResult>((resolve, reject) => {
    xhr.open('POST', '/api/ingest');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { files?: IngestFileResult[]; error?: string } | null;
      if (xhr.status === 401) unauthorized();
      if (xhr.status >= 400 || !body?.files?.[0]) {
        reject(new ApiError(xhr.status, body?.error ?? `${xhr.status} ${xhr.statusText}`));
        return;
      }
      onProgress(1);
      resolve(body.files[0]);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network error'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted'));
    const form = new FormData();
    if (kind) form.append('kind', kind);
    form.append('files', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** Lists come back bare or wrapped ({loads: […]}); read both. */
export function listOf<T>(body: T[] | Record<string, T[]>): T[] {
  if (Array.isArray(body)) return body;
  const first = Object.values(body).find(Array.isArray);
  return first ?? [];
}
