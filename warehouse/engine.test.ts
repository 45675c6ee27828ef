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

  it('accepts clickhouse, with its settings read in the same place', () => {
    expect(normalizeEngine(' ClickHouse')).toBe('clickhouse');
    const s = normalizeSettings({ db: ':memory:', env: { WAREHOUSE_ENGINE: 'clickhouse', CLICKHOUSE_URLS: 'http://127.0.0.1:18123' } });
    expect(s.engine).toBe('clickhouse');
    expect(s.clickhouse).toEqual({
      urls: ['http://127.0.0.1:18123'],
      cluster: null,
      database: 'tca',
      user: 'default',
      password: '',
      readonlyUser: null,
      readonlyPassword: '',
    });
    expect(normalizeSettings({ db: ':memory:', env: {} }).clickhouse).toBeUndefined();
  });

  it('refuses an engine this build does not have, as a usage error in both languages', () => {
    for (const value of ['postgres', 'click house']) {
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
