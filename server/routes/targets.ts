// Targets judged (考核): one region's targets with attainment, status, score and rank
// (GET /api/targets, the same object as `npm run targets -- --json`), the league of every city's
// score (GET /api/scorecard: executives, analysts and admins — a regional user gets 403 and finds
// their own rank in /api/targets), and the targets loaded (GET /api/targets/loaded, for the targets
// page of admins and analysts). Cached per data version like the KPI answers: a target load moves it.
import type { Request, Response, Router } from 'express';
import { type JudgedMonth, judgeMonth, listTargets, scorecardOf, targetsOf } from '../../queries/targets.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { route } from '../access.ts';
import type { Principal } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { sendCached } from '../kpi-cache.ts';
import { onlyParams, parsePeriod, parseRegion, queryString } from '../params.ts';

/** The region asked for; a regional user who names none gets their own. */
function regionParam(req: Request, who: Principal, known: ReadonlySet<string>): string {
  const region = queryString(req, 'region');
  return region === undefined ? (who.region ?? 'ALL') : parseRegion(region, known);
}

export function targetRoutes(r: Router, ctx: AppContext): void {
  const cached = <P>(name: string, compute: (wh: Warehouse, p: P) => Promise<unknown>) =>
    async ({ req, res, params }: { req: Request; res: Response; params: P }) => {
      const entry = await ctx.cache.get(`${name}:${JSON.stringify(params)}`, () => ctx.readers.use((wh) => compute(wh, params)));
      sendCached(req, res, entry);
      return undefined;
    };

  /** Every region's targets of a month, judged once per data version whichever region is asked first. */
  const judged = async (period: string): Promise<JudgedMonth> => {
    const entry = await ctx.cache.get(`targets-month:${period}`, () => ctx.readers.use((wh) => judgeMonth(wh, { period })));
    return JSON.parse(entry.body) as JudgedMonth;
  };

  /** A cached answer made from the judged month (which takes its own read connection, once). */
  const fromMonth = <P extends { period: string }>(name: string, make: (month: JudgedMonth, p: P) => unknown) =>
    async ({ req, res, params }: { req: Request; res: Response; params: P }) => {
      const entry = await ctx.cache.get(`${name}:${JSON.stringify(params)}`, async () => make(await judged(params.period), params));
      sendCached(req, res, entry);
      return undefined;
    };

  r.get(
    '/api/targets/loaded',
    route(ctx, {
      need: 'ingest',
      parse: (req) => {
        onlyParams(req, []);
        return {};
      },
      handle: cached('targets-loaded', (wh) => listTargets(wh)),
    }),
  );

  r.get(
    '/api/targets',
    route<{ period: string; region: string }>(ctx, {
      need: 'boards',
      parse: (req, who) => {
        onlyParams(req, ['period', 'region']);
        return { period: parsePeriod(queryString(req, 'period', true)), region: regionParam(req, who, ctx.regions) };
      },
      regions: (p) => [p.region],
      handle: fromMonth('targets', (month, p: { period: string; region: string }) => targetsOf(month, p.region)),
    }),
  );

  r.get(
    '/api/scorecard',
    route<{ period: string }>(ctx, {
      need: 'boards',
      parse: (req) => {
        onlyParams(req, ['period']);
        return { period: parsePeriod(queryString(req, 'period', true)) };
      },
      // Every city's score: only a caller who may see ALL (a regional user gets 403).
      regions: () => ['ALL'],
      handle: fromMonth('scorecard', (month) => scorecardOf(month)),
    }),
  );
}
