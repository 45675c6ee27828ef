// GET /api/audit?[user&action&since&limit] (admins only): the audit log, newest first. There is no
// route that changes or deletes an entry (server/audit.ts, warehouse/audit.ts).
import type { Router } from 'express';
import { queryAudit } from '../../warehouse/audit.ts';
import { route } from '../access.ts';
import { AUDIT_ACTIONS } from '../../domain/audit.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http-error.ts';
import { onlyParams, parseEnum, parsePositiveInt, queryString } from '../params.ts';

interface AuditParams {
  user?: string;
  action?: string;
  since?: string;
  limit: number;
}

export const AUDIT_DEFAULT_LIMIT = 200;
export const AUDIT_MAX_LIMIT = 10_000;

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM[:SS]' (a 'T' too), Asia/Shanghai wall time → 'YYYY-MM-DD HH:MM:SS'. */
export function parseSince(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  const bad = () => new HttpError(400, `since must be YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (Asia/Shanghai), got ${JSON.stringify(value)} / since 格式应为 YYYY-MM-DD`);
  if (!m) throw bad();
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw bad();
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

export function auditRoutes(r: Router, ctx: AppContext): void {
  r.get(
    '/api/audit',
    route<AuditParams>(ctx, {
      need: 'admin',
      parse: (req) => {
        onlyParams(req, ['user', 'action', 'since', 'limit']);
        const user = queryString(req, 'user');
        const action = queryString(req, 'action');
        const since = queryString(req, 'since');
        const limit = queryString(req, 'limit');
        return {
          ...(user !== undefined ? { user } : {}),
          ...(action !== undefined ? { action: parseEnum(action, AUDIT_ACTIONS, 'action') } : {}),
          ...(since !== undefined ? { since: parseSince(since) } : {}),
          limit: limit === undefined ? AUDIT_DEFAULT_LIMIT : parsePositiveInt(limit, 'limit', AUDIT_MAX_LIMIT),
        };
      },
      handle: async ({ params }) => {
        // What was recorded before this request is in the answer.
        await ctx.audit.flush();
        return { events: await ctx.readers.use((wh) => queryAudit(wh, params)) };
      },
    }),
  );
}
