// Authorisation in one place. Every route declares what it needs (a capability of the roles table
// of architecture.md) and which regions its parameters ask for; `route()` applies, in the fixed
// order, 401 (no session) → 400 (bad parameters) → 403 (role or region) → the handler (which may
// still answer 404). A regional user asking for another city, or for ALL, gets 403 everywhere.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-error.ts';
import type { Role } from '../warehouse/users.ts';
import type { Principal } from './auth.ts';
import type { AppContext } from './context.ts';

export type Capability = 'login' | 'boards' | 'briefings' | 'sql' | 'ingest' | 'admin';

/** The roles table: which role may use what. */
export const CAPABILITIES: Record<Role, readonly Capability[]> = {
  executive: ['login', 'boards', 'briefings'],
  analyst: ['login', 'boards', 'briefings', 'sql', 'ingest'],
  regional: ['login', 'boards', 'briefings'],
  admin: ['login', 'boards', 'briefings', 'sql', 'ingest', 'admin'],
};

export function can(p: Principal, need: Capability): boolean {
  return CAPABILITIES[p.role].includes(need);
}

/** True when the caller may see figures of `region` (a code, or 'ALL' for the province). */
export function maySee(p: Principal, region: string): boolean {
  return p.region === null || p.region === region;
}

export interface Call<P> {
  req: Request;
  res: Response;
  who: Principal;
  params: P;
  ctx: AppContext;
}

export interface RouteSpec<P> {
  need: Capability;
  /** Validates the request (throw HttpError 400); runs after authentication, before authorisation. */
  parse?: (req: Request, who: Principal) => P | Promise<P>;
  /** The regions the parameters ask for ('ALL' included); each must be visible to the caller. */
  regions?: (params: P) => readonly string[];
  /** Only the server token (the CLIs), not a browser session, even an admin's. */
  tokenOnly?: boolean;
  /** Returns a JSON body, or undefined when it answered itself. */
  handle: (call: Call<P>) => Promise<unknown>;
}

export function route<P = Record<string, never>>(ctx: AppContext, spec: RouteSpec<P>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const run = async () => {
      const who = ctx.identify(req);
      if (!who) throw new HttpError(401, 'not logged in / 请先登录');
      const params = spec.parse ? await spec.parse(req, who) : ({} as P);
      if (!can(who, spec.need) || (spec.tokenOnly && who.via !== 'token')) {
        throw new HttpError(403, `the ${who.role} role may not do this / 无权访问`);
      }
      for (const region of spec.regions?.(params) ?? []) {
        if (!maySee(who, region)) throw new HttpError(403, `region ${region} is outside your region ${who.region} / 无权查看该地区数据`);
      }
      const body = await spec.handle({ req, res, who, params, ctx });
      if (body !== undefined && !res.headersSent) res.json(body);
    };
    run().catch(next);
  };
}
