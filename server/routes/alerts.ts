// Alerts (targets.md "Interfaces"): the rules (admin), the alerts with their delivery log (boards,
// scoped by region), acknowledging one (boards of its region), and judging the rules now (admin).
import type { Request, Router } from 'express';
import { RuleError, checkRule } from '../../domain/alerts.ts';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { jsonSafe } from '../json-values.ts';
import { onlyParams, parseEnum, parsePositiveInt, queryString } from '../params.ts';

const MAX_LIST = 1000;

function parseId(req: Request): number {
  const raw = String(req.params.id);
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, `id must be a positive integer, got ${JSON.stringify(raw)} / 编号须为正整数`);
  return Number(raw);
}

export function alertRoutes(r: Router, ctx: AppContext): void {
  r.get('/api/alerts/rules', route(ctx, { need: 'admin', handle: async () => ({ rules: await ctx.alerts.listRules() }) }));

  r.post(
    '/api/alerts/rules',
    route(ctx, {
      need: 'admin',
      handle: async ({ req, who }) => {
        let input;
        try {
          input = checkRule(req.body, ctx.regions);
        } catch (err) {
          if (err instanceof RuleError) throw new HttpError(400, err.message);
          throw err;
        }
        const added = await ctx.alerts.addRule(input, who.name);
        // Webhook addresses carry their keys: the log names the host and format only.
        const deliveries = added.deliveries.map((d) => ({ format: d.format, host: URL.canParse(d.url) ? new URL(d.url).host : null }));
        ctx.audit.record(who, { action: 'alert_rule_add', target: String(added.id), detail: { name: added.name, kpi: added.kpi, scope: added.scope, condition: added.condition, deliveries } });
        return added;
      },
    }),
  );

  r.delete(
    '/api/alerts/rules/:id',
    route<{ id: number }>(ctx, {
      need: 'admin',
      parse: (req) => ({ id: parseId(req) }),
      handle: async ({ params, who }) => {
        const removed = await ctx.alerts.removeRule(params.id);
        ctx.audit.record(who, { action: 'alert_rule_remove', target: String(params.id), status: removed ? 'ok' : 'error' });
        if (!removed) throw new HttpError(404, `no alert rule ${params.id} / 预警规则不存在`);
        return { ok: true };
      },
    }),
  );

  r.get(
    '/api/alerts',
    route<{ status?: 'firing' | 'resolved'; limit: number }>(ctx, {
      need: 'boards',
      parse: (req) => {
        onlyParams(req, ['status', 'limit']);
        const status = queryString(req, 'status');
        const limit = queryString(req, 'limit');
        return {
          ...(status === undefined ? {} : { status: parseEnum(status, ['firing', 'resolved'] as const, 'status') }),
          limit: limit === undefined ? 100 : parsePositiveInt(limit, 'limit', MAX_LIST),
        };
      },
      // A regional user gets their city's alerts only; the others every region's (ALL included).
      handle: async ({ who, params }) => jsonSafe({ alerts: await ctx.alerts.list({ region: who.region, ...params }) }),
    }),
  );

  r.post(
    '/api/alerts/:id/ack',
    route<{ id: number; region: string | null }>(ctx, {
      need: 'boards',
      parse: async (req) => {
        const id = parseId(req);
        return { id, region: (await ctx.alerts.get(id))?.region_code ?? null };
      },
      regions: (p) => (p.region === null ? [] : [p.region]),
      handle: async ({ who, params }) => {
        if (params.region === null) throw new HttpError(404, `no alert ${params.id} / 预警不存在`);
        const alert = await ctx.alerts.ack(params.id, who.name);
        if (!alert) throw new HttpError(404, `no alert ${params.id} / 预警不存在`);
        return jsonSafe({ alert });
      },
    }),
  );

  r.post(
    '/api/alerts/evaluate',
    route(ctx, {
      need: 'admin',
      handle: async () => jsonSafe(await ctx.alerts.evaluate('all')),
    }),
  );
}
