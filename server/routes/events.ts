// GET /api/events?region=CODE|ALL: server-sent events for the boards, scoped to one region (a
// regional user's own by default, and only that) or to the whole province.
import type { Router } from 'express';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { onlyParams, parseRegion, queryString } from '../params.ts';

export function eventRoutes(r: Router, ctx: AppContext): void {
  r.get(
    '/api/events',
    route<{ region: string | null }>(ctx, {
      need: 'boards',
      parse: (req) => {
        onlyParams(req, ['region']);
        const region = queryString(req, 'region');
        return { region: region === undefined ? null : parseRegion(region, ctx.regions) };
      },
      regions: (p) => (p.region ? [p.region] : []),
      handle: async ({ res, who, params }) => {
        const scope = params.region ?? who.region ?? 'ALL';
        ctx.events.subscribe(res, scope, who.region !== null, { data_version: ctx.cache.version });
        return undefined;
      },
    }),
  );
}
