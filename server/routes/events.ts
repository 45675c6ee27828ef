// GET /api/events?region=CODE|ALL: server-sent events for the boards, scoped to one region (a
// regional user's own by default, and only that) or to the whole province.
import type { Router } from 'express';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { onlyParams, parseRegion, queryString } from '../params.ts';

export function eventRoutes(r: Router, ctx: AppContext): void {
  // Streams open per user: each holds a socket for good, so one user (or one stolen session) gets a few.
  const open = new Map<string, number>();
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
        const held = open.get(who.name) ?? 0;
        const cap = ctx.settings.sseStreamsPerUser;
        if (held >= cap) throw new HttpError(429, `too many event streams open for this user (${cap}); close a board first / 该用户打开的实时更新连接过多（${cap} 个），请先关闭一个看板`);
        open.set(who.name, held + 1);
        res.once('close', () => {
          const n = (open.get(who.name) ?? 1) - 1;
          if (n > 0) open.set(who.name, n);
          else open.delete(who.name);
        });
        const scope = params.region ?? who.region ?? 'ALL';
        ctx.events.subscribe(res, scope, who.region !== null, { data_version: ctx.cache.version });
        return undefined;
      },
    }),
  );
}
