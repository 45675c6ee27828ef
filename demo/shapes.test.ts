// The shapes the KPIs are about, measured on generated files read back with DuckDB the way an
// analyst would, plus every rule of extracts.md that would make the loader reject a row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, ZHEJIANG_CITIES } from '../domain/contracts.ts';
import { quoteLiteral } from '../warehouse/db.ts';
import { generateDemoData } from './generate.ts';

// Big enough for per-city ratios to be stable, small enough to generate in well under a second.
const SHAPES = { subscribers: 30_000, months: 3, end: '2026-10', seed: 1 } as const;

describe('generateDemoData shapes (read back with DuckDB)', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let dir: string;
  const one = async (sql: string): Promise<Record<string, unknown>> => (await conn.runAndReadAll(sql)).getRowObjectsJS()[0] ?? {};
  const all = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  const num = (v: unknown): number => Number(v);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-data-shapes-'));
    await generateDemoData({ ...SHAPES, out: dir });
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    const csv = (kind: string) => `read_csv(${quoteLiteral(join(dir, `${kind}_ALL_*.csv`))}, all_varchar = true, header = true)`;
    await conn.run(`
      create table sub as select *, activated_on::date a, terminated_on::date t, (period || '-01')::date p0,
        last_day((period || '-01')::date) p1 from ${csv('subscriber')};
      create table rev as select *, amount::decimal(18,2) amt, coalesce(discount::decimal(18,2), 0) disc from ${csv('revenue')};
      create table cpl as select *, received_at::timestamp rcv, resolved_at::timestamp res,
        strftime(received_at::timestamp, '%Y-%m') period from ${csv('complaint')};
      create table chn as select * from ${csv('channel')};
      create table act as select * from sub where a <= p1 and (t is null or t > p1);
      create table conv_bundle as select period, bundle_id from act where bundle_id is not null
        group by all having count(distinct service) >= 2;
      create table act_n as select period, region_code, count(*) n from act group by all;
    `);
  });
  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has exactly N subscriptions active at the end of the first month, and a stable or growing base', async () => {
    const rows = await all(`select period, count(*) n from act group by 1 order by 1`);
    expect(rows.map((r) => r.period)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(num(rows[0]?.n)).toBe(SHAPES.subscribers);
    for (const r of rows) expect(num(r.n)).toBeGreaterThanOrEqual(SHAPES.subscribers * 0.99);
  });

  it('keeps every row within the contract rules', async () => {
    const regions = ZHEJIANG_CITIES.map((c) => quoteLiteral(c.code)).join(',');
    const values = (kind: 'subscriber' | 'complaint' | 'revenue' | 'channel', col: string) =>
      (CONTRACTS[kind].columns.find((c) => c.name === col)?.values ?? []).map((v) => quoteLiteral(v.code)).join(',');
    const violations = await one(`select
      (select count(*) - count(distinct (period, subscription_id)) from sub) dup_sub,
      (select count(*) from sub where customer_id is null or activated_on is null or region_code not in (${regions})
         or segment not in (${values('subscriber', 'segment')}) or service not in (${values('subscriber', 'service')})
         or plan_code is null or a > p1 or t < a or (t is not null and (t < p0 or t > p1))) bad_sub,
      (select count(*) from sub where a < p0 and not exists (select 1 from sub s2 where s2.subscription_id = sub.subscription_id
         and s2.period = strftime(sub.p0 - interval 1 month, '%Y-%m'))
         and sub.period <> (select min(period) from sub)) appeared_late,
      (select count(*) - count(distinct (period, subscription_id, item)) from rev) dup_rev,
      (select count(*) from rev where item not in (${values('revenue', 'item')}) or disc < 0 or region_code not in (${regions})
         or not exists (select 1 from sub where sub.period = rev.period and sub.subscription_id = rev.subscription_id
           and sub.customer_id = rev.customer_id and sub.service = rev.service)) bad_rev,
      (select count(*) - count(distinct complaint_id) from cpl) dup_cpl,
      (select count(*) from cpl where rcv is null or res < rcv or sla_hours::int <= 0 or region_code not in (${regions})
         or category not in (${values('complaint', 'category')}) or source not in (${values('complaint', 'source')})
         or satisfaction not in (${values('complaint', 'satisfaction')}) or service not in (${values('complaint', 'service')})
         or res > last_day(rcv::date) + interval 1 day) bad_cpl,
      (select count(*) from cpl c where repeat_of is not null and not exists (select 1 from cpl e
         where e.complaint_id = c.repeat_of and e.customer_id = c.customer_id and e.rcv < c.rcv)) bad_repeat,
      (select count(*) - count(distinct (period, channel_id)) from chn) dup_chn,
      (select count(*) from chn where region_code not in (${regions}) or channel_type not in (${values('channel', 'channel_type')})
         or commission::decimal(18,2) < 0 or (channel_type = 'self_run_hall' and commission::decimal(18,2) <> 0)
         or (channel_type in ('partner_full', 'partner_store', 'service_point')) <> (exclusive is not null)
         or closed_on::date < opened_on::date or opened_on::date > last_day((period || '-01')::date)) bad_chn
    `);
    expect(Object.fromEntries(Object.entries(violations).map(([k, v]) => [k, num(v)]))).toEqual({
      dup_sub: 0,
      bad_sub: 0,
      appeared_late: 0,
      dup_rev: 0,
      bad_rev: 0,
      dup_cpl: 0,
      bad_cpl: 0,
      bad_repeat: 0,
      dup_chn: 0,
      bad_chn: 0,
    });
  });

  it('has 30–50% converged customers, varying by city', async () => {
    const rows = await all(`select period, region_code,
        (count(distinct case when b.bundle_id is not null then customer_id end) / count(distinct customer_id))::double rate
      from act left join conv_bundle b using (period, bundle_id) group by all`);
    expect(rows).toHaveLength(3 * 11);
    const rates = rows.map((r) => num(r.rate));
    for (const r of rows) expect(num(r.rate), `${r.period} ${r.region_code}`).toBeGreaterThanOrEqual(0.25);
    for (const r of rows) expect(num(r.rate), `${r.period} ${r.region_code}`).toBeLessThanOrEqual(0.55);
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.05);
    const plays = await all(`select n, count(*) c from (select customer_id, count(distinct service) n from act
      where period = '2026-10' group by 1) group by 1 order by 1`);
    expect(plays.map((p) => num(p.n))).toEqual([1, 2, 3, 4]);
    const segments = await all(`select distinct segment from act order by 1`);
    expect(segments.map((s) => s.segment)).toEqual(['enterprise', 'household', 'personal']);
  });

  it('churns 0.5–4% a month, converged subscriptions less than standalone ones', async () => {
    const rows = await all(`select s.period, (count(*) filter (where s.t between s.p0 and s.p1) / any_value(prev.n))::double rate
      from sub s join (select strftime(p0 + interval 1 month, '%Y-%m') period, count(*) n from act group by all) prev using (period)
      group by 1`);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(num(r.rate), String(r.period)).toBeGreaterThanOrEqual(0.005);
    for (const r of rows) expect(num(r.rate), String(r.period)).toBeLessThanOrEqual(0.04);
    const cohorts = await one(`with prev as (
        select a.period, a.subscription_id, b.bundle_id is not null conv from act a left join conv_bundle b using (period, bundle_id))
      select avg(case when conv and s.t is not null then 1 else 0 end) filter (where conv)::double conv_rate,
             avg(case when not conv and s.t is not null then 1 else 0 end) filter (where not conv)::double alone_rate
      from prev join sub s on s.subscription_id = prev.subscription_id
        and s.period = strftime((prev.period || '-01')::date + interval 1 month, '%Y-%m')`);
    expect(num(cohorts.conv_rate)).toBeGreaterThan(0);
    expect(num(cohorts.conv_rate)).toBeLessThan(num(cohorts.alone_rate) * 0.7);
    const adds = await one(`select count(*) filter (where a >= p0 and t is not null) instant, count(*) filter (where a < p0 and a < date '2016-01-01') as older
      from sub`);
    expect(num(adds.instant)).toBeGreaterThan(0);
    expect(num(adds.older)).toBeGreaterThan(0);
  });

  it('sells through outlets of the same city that were open at activation, mostly social ones', async () => {
    const bad = await one(`select count(*) n from sub where channel_id is not null and not exists (select 1 from chn
      where chn.period = sub.period and chn.channel_id = sub.channel_id and chn.region_code = sub.region_code
        and chn.opened_on::date <= sub.a and (chn.closed_on is null or chn.closed_on::date > sub.a))`);
    expect(num(bad.n)).toBe(0);
    const adds = await one(`select count(*) n,
        count(*) filter (where channel_type in ('partner_full', 'partner_store', 'service_point')) social,
        count(*) filter (where sub.channel_id is null) unattributed,
        count(*) filter (where segment = 'enterprise') ent,
        count(*) filter (where segment = 'enterprise' and channel_type = 'account_manager') ent_am
      from sub left join chn using (period, channel_id) where sub.a >= sub.p0`);
    expect(num(adds.social) / num(adds.n)).toBeGreaterThan(0.4);
    expect(num(adds.unattributed) / num(adds.n)).toBeGreaterThan(0.005);
    expect(num(adds.unattributed) / num(adds.n)).toBeLessThan(0.03);
    expect(num(adds.ent_am) / num(adds.ent)).toBeGreaterThan(0.5);
    const types = await all(`select region_code, count(distinct channel_type) n from chn where period = '2026-10' group by 1`);
    expect(types.map((t) => num(t.n))).toEqual(Array(11).fill(7));
    const moves = await one(`select count(*) filter (where opened_on::date >= date '2026-08-01') opened,
      count(*) filter (where closed_on::date >= date '2026-08-01') closed from chn where period = '2026-10'`);
    expect(num(moves.opened)).toBeGreaterThan(0);
    expect(num(moves.closed)).toBeGreaterThan(0);
    // Commission: none for staff channels, per gross add (more for a converged one) for social outlets.
    const paid = await one(`with c as (select channel_type in ('partner_full', 'partner_store', 'service_point') social,
        commission::decimal(18,2)::double commission, coalesce(adds, 0) adds
      from chn left join (select period, channel_id, count(*) adds from sub where a >= p0 group by all) s using (period, channel_id))
      select count(*) filter (where not social and commission <> 0) staff_paid,
        count(*) filter (where social and adds = 0 and commission <> 0) paid_without_adds,
        min(commission / adds) filter (where social and adds > 0) min_per_add,
        max(commission / adds) filter (where social and adds > 0) max_per_add from c`);
    expect(num(paid.staff_paid)).toBe(0);
    expect(num(paid.paid_without_adds)).toBe(0);
    expect(num(paid.min_per_add)).toBeGreaterThanOrEqual(40);
    expect(num(paid.max_per_add)).toBeLessThanOrEqual(250);
  });

  it('has 1–40 complaints per 10k subscriptions, some escalated, repeated and still open', async () => {
    const rows = await all(`select period, count(*) c, (count(*) * 10000 / any_value(n))::double per10k,
        (count(*) filter (where source in ('media', 'regulator', 'upper_company')) / count(*))::double escalated
      from cpl join (select period, sum(n) n from act_n group by 1) using (period) group by 1`);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(num(r.per10k), String(r.period)).toBeGreaterThanOrEqual(1);
    for (const r of rows) expect(num(r.per10k), String(r.period)).toBeLessThanOrEqual(40);
    const total = await one(`select count(*) n,
        (count(*) filter (where source in ('media', 'regulator', 'upper_company')) / count(*))::double escalated,
        count(distinct category) categories, count(*) filter (where repeat_of is not null) repeats,
        count(*) filter (where res is null) open, count(*) filter (where sla_hours is null) no_sla,
        (count(*) filter (where category = 'installation' and service in ('broadband', 'iptv'))
          / count(*) filter (where category = 'installation'))::double install_fixed,
        (count(*) filter (where res <= rcv + to_hours(coalesce(sla_hours::int, if(category = 'installation', 72, 48))))
          / count(*) filter (where res is not null))::double in_sla,
        count(*) filter (where satisfaction is not null and res is not null) rated
      from cpl`);
    expect(num(total.escalated)).toBeGreaterThan(0);
    expect(num(total.escalated)).toBeLessThan(0.2);
    expect(num(total.categories)).toBe(6);
    expect(num(total.repeats)).toBeGreaterThan(0);
    expect(num(total.open)).toBeGreaterThan(0);
    expect(num(total.open) / num(total.n)).toBeLessThan(0.15);
    expect(num(total.no_sla) / num(total.n)).toBeGreaterThan(0.3);
    expect(num(total.no_sla) / num(total.n)).toBeLessThan(0.7);
    expect(num(total.install_fixed)).toBeGreaterThan(0.5);
    expect(num(total.in_sla)).toBeGreaterThan(0.7);
    expect(num(total.in_sla)).toBeLessThan(1);
    expect(num(total.rated) / num(total.n)).toBeGreaterThan(0.5);
  });

  it('bills 40–120 元 ARPU, with cross-product discounts only inside bundles', async () => {
    const rows = await all(`select r.period, (sum(amt - disc) / ((any_value(cur.n) + coalesce(any_value(prev.n), any_value(cur.n))) / 2))::double arpu
      from rev r join (select period, count(*) n from act group by 1) cur using (period)
      left join (select strftime(p0 + interval 1 month, '%Y-%m') period, count(*) n from act group by all) prev using (period)
      group by 1`);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(num(r.arpu), String(r.period)).toBeGreaterThanOrEqual(40);
    for (const r of rows) expect(num(r.arpu), String(r.period)).toBeLessThanOrEqual(120);
    const byCity = await all(`select region_code, avg(arpu) arpu from (select period, region_code, (sum(amt - disc) / any_value(n))::double arpu
      from rev join act_n using (period, region_code) group by all) group by 1 order by 2`);
    expect(num(byCity[0]?.arpu)).toBeGreaterThanOrEqual(40);
    expect(num(byCity.at(-1)?.arpu)).toBeLessThanOrEqual(120);
    expect(num(byCity.at(-1)?.arpu) - num(byCity[0]?.arpu)).toBeGreaterThan(10);
    const disc = await one(`select
        count(*) filter (where s.bundle_id is null and r.disc > 0) unbundled_discounted,
        count(*) filter (where s.bundle_id is not null and r.disc = 0) bundled_without
      from (select period, subscription_id, sum(disc) disc from rev group by all) r join sub s using (period, subscription_id)`);
    expect(num(disc.unbundled_discounted)).toBe(0);
    expect(num(disc.bundled_without)).toBe(0);
    const adj = await one(`select count(*) filter (where amt < 0) negative, count(*) filter (where amt < 0 and item <> 'other') bad,
      count(*) n from rev`);
    expect(num(adj.negative)).toBeGreaterThan(0);
    expect(num(adj.negative) / num(adj.n)).toBeLessThan(0.002);
    expect(num(adj.bad)).toBe(0);
    const items = await all(`select service, list(distinct item order by item) items from rev where item <> 'other' group by 1 order by 1`);
    expect(items.map((r) => [r.service, r.items])).toEqual([
      ['broadband', ['broadband_fee']],
      ['fixed_voice', ['rental', 'voice']],
      ['iptv', ['iptv_fee']],
      ['mobile', ['data', 'rental', 'value_added', 'voice']],
    ]);
  });
});
