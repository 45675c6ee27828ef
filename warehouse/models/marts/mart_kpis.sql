-- THE KPI table: one row per (period, region incl. ALL) and one column per key of kpis.md, named
-- exactly as the key. Counts and sums come from the int_kpis_* models, the per-service, per-channel-
-- type and per-category families from the breakdown marts, so each figure has one definition. ALL
-- rows are computed from the rows (grouping sets), never from city ratios. A figure is null where
-- the extract it is computed from has no rows for the (region, period) (see int_kpi_grid).
with grid as (
  select * from int_kpi_grid where list_contains($periods, period)
),

previous_stock as (
  select (period + interval 1 month)::date as period, region_code, sum(active_subscriptions)::bigint as active_subscriptions
  from int_stock
  where list_contains($previous_periods, period)
  group by period, region_code
),

-- The breakdown marts' figures as columns <figure>_<code>, codes in the order of the IN lists (the
-- contracts'), which final keeps by taking each figure's columns by their prefix. Each mart has a
-- row per code on every grid row; PIVOT names the columns <code>_<figure>, the pattern turns them round.
breakdowns as (
  select
    period,
    region_code,
    columns('^(.+)_(active_subscriptions|revenue|arpu|gross_adds|active_outlets|adds_per_outlet|complaints)$') as '\2_\1'
  from (
    pivot (select * from mart_kpis_service where list_contains($periods, period))
    on service in ('mobile', 'fixed_voice', 'broadband', 'iptv')
    using max(active_subscriptions) as active_subscriptions, max(revenue) as revenue, max(arpu) as arpu
    group by period, region_code
  )
  join (
    pivot (select * from mart_kpis_channel_type where list_contains($periods, period))
    on channel_type in ('self_run_hall', 'partner_full', 'partner_store', 'service_point', 'online', 'hotline', 'account_manager')
    using max(gross_adds) as gross_adds, max(active_outlets) as active_outlets, max(adds_per_outlet) as adds_per_outlet
    group by period, region_code
  ) using (period, region_code)
  join (
    pivot (select * from mart_complaints_breakdown where list_contains($periods, period) and dimension = 'category')
    on code in ('billing', 'network', 'service_attitude', 'product', 'installation', 'other')
    using max(complaints) as complaints
    group by period, region_code
  ) using (period, region_code)
),

-- Each model's figures, null where the extract they come from has no rows for the (region, period)
-- and 0 where it has rows but none counted; complaints count 0 either way (see int_kpi_grid).
joined as (
  select
    period,
    region_code,
    if(g.has_subscriber, coalesce(columns(s.* exclude (period, region_code)), 0), null),
    p.active_subscriptions as previous_active_subscriptions,
    if(g.has_subscriber, coalesce(columns(cu.* exclude (period, region_code, converged_revenue, standalone_revenue)), 0), null),
    if(g.has_revenue, coalesce(cu.converged_revenue, 0), null) as converged_revenue,
    if(g.has_revenue, coalesce(cu.standalone_revenue, 0), null) as standalone_revenue,
    if(g.has_subscriber, coalesce(columns(ch.* exclude (period, region_code, vanished_subscriptions)), 0), null),
    if(p.period is null, null, coalesce(ch.vanished_subscriptions, 0)) as vanished_subscriptions,
    if(g.has_revenue, coalesce(columns(r.* exclude (period, region_code)), 0), null),
    if(g.has_channel, coalesce(columns(cn.* exclude (period, region_code)), 0), null),
    coalesce(columns(co.* exclude (period, region_code, dimension, code, resolution_hours)), 0),
    co.resolution_hours,
    b.* exclude (period, region_code)
  from grid g
  left join previous_stock p using (period, region_code)
  left join int_kpis_subscriptions s using (period, region_code)
  left join int_kpis_customers cu using (period, region_code)
  left join int_kpis_churn ch using (period, region_code)
  left join int_kpis_revenue r using (period, region_code)
  left join int_kpis_channels cn using (period, region_code)
  left join (select * from int_kpis_complaints where dimension = 'total') co using (period, region_code)
  left join breakdowns b using (period, region_code)
),

final as (
  select
    period,
    region_code,
    -- subscribers and convergence
    active_subscriptions,
    columns('^active_subscriptions_'),
    active_customers,
    converged_customers,
    ratio(converged_customers, active_customers) as convergence_rate,
    customers_1_play,
    customers_2_play,
    customers_3_play,
    customers_4_play,
    gross_adds,
    churned,
    ratio(churned, previous_active_subscriptions) as churn_rate,
    ratio(converged_cohort_churned, converged_cohort) as churn_rate_converged,
    ratio(standalone_cohort_churned, standalone_cohort) as churn_rate_standalone,
    active_subscriptions - previous_active_subscriptions as net_adds,
    vanished_subscriptions,
    -- revenue (DECIMAL)
    revenue::decimal(18, 2) as revenue,
    columns('^revenue_'),
    gross_amount::decimal(18, 2) as gross_amount,
    ratio(discount, gross_amount) as discount_rate,
    arpu(revenue, active_subscriptions, previous_active_subscriptions) as arpu,
    columns('^arpu_'),
    money_div(revenue, active_customers) as arpa,
    money_div(converged_revenue, converged_customers) as arpa_converged,
    money_div(standalone_revenue, standalone_customers) as arpa_standalone,
    orphan_revenue_rows,
    -- channels
    columns('^gross_adds_'),
    ratio(bundled_adds, gross_adds) as converged_adds_share,
    columns('^active_outlets_'),
    columns('^adds_per_outlet_'),
    commission_total::decimal(18, 2) as commission_total,
    money_div(social_commission, social_adds) as commission_per_add,
    ratio(exclusive_social_adds, social_adds) as exclusive_adds_share,
    unattributed_adds,
    -- complaints
    complaints,
    ratio(complaints * 10000, active_subscriptions) as complaints_per_10k,
    escalated_complaints,
    ratio(escalated_complaints * 10000, active_subscriptions) as escalated_per_10k,
    ratio(sla_met, sla_due) as sla_met_rate,
    ratio(resolution_hours, resolved) as mean_resolution_hours,
    ratio(repeats, complaints) as repeat_rate,
    ratio(satisfied, satisfaction_answers) as satisfaction_rate,
    columns('^complaints_')
  from joined
)

select * from final
