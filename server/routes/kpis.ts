// The KPI API over the query layer (queries/kpis.ts): one period's figures with the extracts missing,
// a series, a ranking of every city by the KPI's direction, breakdowns. Answers are cached per data version and carry an ETag; the parameters are
// checked here first (400), then the caller's region (403), then the cache is consulted.
import type { Request, Response, Router } from 'express';
import { BREAKDOWNS, type Dimension, getBreakdown, getKpis, getRanking, getSeries } from '../../queries/kpis.ts';
import { SEGMENTS } from '../../domain/contracts.ts';
import { KPI_CATALOGUE, isKpiKey } from '../../domain/kpi-catalogue.ts';
import { periodIndex } from '../../domain/period.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { Principal } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { sendCached } from '../kpi-cache.ts';
import { onlyParams, parseEnum, parsePeriod, parseRegion, queryString } from '../params.ts';

const SEGMENT_CODES = SEGMENTS.map((s) => s.code);
const DIMENSIONS = Object.keys(BREAKDOWNS) as Dimension[];

/** The fields GET /api/kpis/keys has always listed; the rest of an entry serves the displays and docs/kpis.md. */
const KEYS_ANSWER = {
  keys: KPI_CATALOGUE.map(({ key, group, unit, label_zh, by_segment, data_quality }) => ({
    key,
    group,
    unit,
    label_zh,
    by_segment,
    ...(data_quality ? { data_quality } : {}),
  })),
};

function parseKey(req: Request): string {
  const key = queryString(req, 'key', true);
  if (!isKpiKey(key)) throw new HttpError(400, `unknown KPI key ${JSON.stringify(key)} (GET /api/kpis/keys lists them)`);
  return key;
}

/** The region asked for; a regional user who names none gets their own. */
function regionParam(req: Request, who: Principal, known: ReadonlySet<string>): string {
  const region = queryString(req, 'region');
  return region === undefined ? (who.region ?? 'ALL') : parseRegion(region, known);
}

export function kpiRoutes(r: Router, ctx: AppContext): void {
  /** A cached JSON answer computed on a read connection. */
  const cached = <P>(name: string, compute: (wh: Warehouse, p: P) => Promise<unknown>) =>
    async ({ req, res, params }: { req: Request; res: Response; params: P }) => {
      const entry = await ctx.cache.get(`${name}:${JSON.stringify(params)}`, () => ctx.readers.use((wh) => compute(wh, params)));
      sendCached(req, res, entry);
      return undefined;
    };

  r.get(
    '/api/kpis',
    route<{ period: string; region: string; segment?: string }>(ctx, {
      need: 'boards',
      parse: (req, who) => {
        onlyParams(req, ['period', 'region', 'segment']);
        const segment = queryString(req, 'segment');
        return {
          period: parsePeriod(queryString(req, 'period', true)),
          region: regionParam(req, who, ctx.regions),
          ...(segment === undefined ? {} : { segment: parseEnum(segment, SEGMENT_CODES, 'segment') }),
        };
      },
      regions: (p) => [p.region],
      handle: cached('kpis', (wh, p) => getKpis(wh, p)),
    }),
  );

  r.get(
    '/api/kpis/series',
    route<{ key: string; region: string; from: string; to: string }>(ctx, {
      need: 'boards',
      parse: (req, who) => {
        onlyParams(req, ['key', 'region', 'from', 'to']);
        const p = {
          key: parseKey(req),
          region: regionParam(req, who, ctx.regions),
          from: parsePeriod(queryString(req, 'from', true), 'from'),
          to: parsePeriod(queryString(req, 'to', true), 'to'),
        };
        const months = periodIndex(p.to) - periodIndex(p.from) + 1;
        if (months < 1) throw new HttpError(400, `from (${p.from}) must not be after to (${p.to})`);
        if (months > 600) throw new HttpError(400, 'a series covers at most 600 months');
        return p;
      },
      regions: (p) => [p.region],
      handle: cached('series', (wh, p) => getSeries(wh, p)),
    }),
  );

  r.get(
    '/api/kpis/ranking',
    route<{ key: string; period: string }>(ctx, {
      need: 'boards',
      parse: (req) => {
        onlyParams(req, ['key', 'period']);
        return { key: parseKey(req), period: parsePeriod(queryString(req, 'period', true)) };
      },
      // Every city's figure: what only a caller who may see ALL may see.
      regions: () => ['ALL'],
      handle: cached('ranking', (wh, p) => getRanking(wh, p)),
    }),
  );

  r.get(
    '/api/kpis/breakdown',
    route<{ period: string; region: string; dimension: Dimension }>(ctx, {
      need: 'boards',
      parse: (req, who) => {
        onlyParams(req, ['period', 'region', 'dimension']);
        return {
          period: parsePeriod(queryString(req, 'period', true)),
          region: regionParam(req, who, ctx.regions),
          dimension: parseEnum(queryString(req, 'dimension', true), DIMENSIONS, 'dimension'),
        };
      },
      regions: (p) => [p.region],
      handle: cached('breakdown', (wh, p) => getBreakdown(wh, p)),
    }),
  );

  r.get('/api/kpis/keys', route(ctx, { need: 'boards', handle: async () => KEYS_ANSWER }));
}
