import { describe, expect, it } from 'vitest';
import { normalizeSettings } from './config.ts';
import { normalizeEngine } from './engine.ts';
import { UserError } from './errors.ts';

describe('normalizeEngine', () => {
  it('defaults to DuckDB, whatever the case or blank', () => {
    expect(normalizeEngine(undefined)).toBe('duckdb');
    expect(normalizeEngine('')).toBe('duckdb');
    expect(normalizeEngine(' DuckDB ')).toBe('duckdb');
    expect(normalizeSettings({ db: ':memory:', env: {} }).engine).toBe('duckdb');
  });

  it('refuses an engine this build does not have, as a usage error in both languages', () => {
    for (const value of ['clickhouse', 'postgres']) {
      let caught: unknown;
      try {
        normalizeSettings({ db: ':memory:', env: { WAREHOUSE_ENGINE: value } });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UserError);
      expect((caught as UserError).exitCode).toBe(2);
      expect((caught as UserError).message).toMatch(/WAREHOUSE_ENGINE/);
      expect((caught as UserError).message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
