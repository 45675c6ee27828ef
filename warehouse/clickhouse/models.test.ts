import { describe, expect, it } from 'vitest';
import { loadChCatalog, modelSql } from './models.ts';

const catalog = loadChCatalog();
const model = (name: string) => {
  const m = catalog.models.find((x) => x.name === name);
  if (!m) throw new Error(`no ClickHouse model ${name}`);
  return m;
};

describe('modelSql', () => {
  it('reads a staging view for the months built through its SQL, filtered at the raw table', () => {
    const sql = modelSql(model('int_subscriptions'), catalog, ['2026-08-01']);
    // 18.16 would read every month of the raw table through the view's name, then filter
    expect(sql).not.toMatch(/\bstg_subscriber_local\b|\bstg_revenue_local\b|\bstg_channel\b/);
    expect(sql).toContain("FROM raw_subscriber_local WHERE period IN (toDate('2026-08-01'))");
    expect(sql).toContain("FROM raw_revenue_local WHERE period IN (toDate('2026-08-01'))");
    expect(sql).toContain("FROM raw_channel WHERE period IN (toDate('2026-08-01'))");
    expect(sql).not.toContain('{');
  });

  it('reads a view that reads such a view through both SQLs, every table filtered', () => {
    const sql = modelSql(model('int_customers'), catalog, ['2026-08-01']);
    expect(sql).not.toMatch(/\bint_customer_rows_local\b|\bstg_revenue_local\b/);
    expect(sql).toContain("FROM int_subscriptions_local WHERE period IN (toDate('2026-08-01'))");
    expect(sql).toContain("FROM raw_revenue_local WHERE period IN (toDate('2026-08-01'))");
    expect(sql).toContain("FROM int_kpi_grid WHERE period IN (toDate('2026-08-01'))");
    expect(sql).not.toContain('{');
  });

  it('filters a read of the previous months with those months', () => {
    const sql = modelSql(model('int_kpi_grid'), catalog, ['2026-01-01', '2026-02-01']);
    expect(sql).toContain("period IN (toDate('2025-12-01'), toDate('2026-01-01'))");
    expect(sql).toContain("period IN (toDate('2026-01-01'), toDate('2026-02-01'))");
  });

  it('leaves a view, created as such, without a filter', () => {
    const sql = modelSql(model('stg_revenue'), catalog, ['1971-01-01']);
    expect(sql).toMatch(/FROM raw_revenue_local\s*\)/);
    expect(sql).not.toContain('{period_filter}');
  });
});
