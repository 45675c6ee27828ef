// Strict parameter parsing: anything not exactly as documented is a 400, never a guess.
import type { Request } from 'express';
import { isPeriod } from '../domain/period.ts';
import { isRegionCode } from '../domain/region-code.ts';
import { HttpError } from './http-error.ts';

function bad(message: string): never {
  throw new HttpError(400, message);
}

/** A single string query parameter (repeated or nested ones are refused). */
export function queryString(req: Request, name: string, required: true): string;
export function queryString(req: Request, name: string, required?: false): string | undefined;
export function queryString(req: Request, name: string, required = false): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined || v === '') {
    if (required) bad(`missing parameter ${name}`);
    return undefined;
  }
  if (typeof v !== 'string') bad(`parameter ${name} must be given once`);
  return v;
}

/** Refuses parameters the route does not know, so that a typo is not silently ignored. */
export function onlyParams(req: Request, allowed: readonly string[]): void {
  for (const name of Object.keys(req.query as object)) {
    if (!allowed.includes(name)) bad(`unknown parameter ${name} (expected ${allowed.join(', ') || 'none'})`);
  }
}

/** 'YYYY-MM' with a real month. */
export function parsePeriod(value: string, name = 'period'): string {
  if (!isPeriod(value)) bad(`${name} must be YYYY-MM, got ${JSON.stringify(value)}`);
  return value;
}

/** A region code known to the warehouse, or ALL. */
export function parseRegion(value: string, known: ReadonlySet<string>): string {
  if (value === 'ALL') return value;
  if (!isRegionCode(value)) bad(`region must be a 6-digit code or ALL, got ${JSON.stringify(value)}`);
  if (!known.has(value)) bad(`unknown region ${value}`);
  return value;
}

export function parseEnum<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) bad(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export function parsePositiveInt(value: unknown, name: string, max: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) bad(`${name} must be a positive integer`);
  return Math.min(n, max);
}
