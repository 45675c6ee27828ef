-- THE KPI table: one row per (period, region incl. ALL) and one column per key of kpis.md, named
-- exactly as the key. Counts and sums come from the int_kpis_* models, the per-service, per-channel-
-- type and per-category/per-service complaint families from the breakdown marts, so each figure has
-- one definition. ALL rows are computed from the rows (grouping sets), never from city ratios.
-- Missing is not zero (kpis.md v2): a figure is null where a kind it is computed from has no slice
-- for the (region, period) (int_kpi_grid); for ALL a kind is missing only when no region has it.
with grid as (
  select * from int_kpi_grid where list_contains($periods, period)
),

subscriptions as (
  select * from int_kpis_subscriptions where list_contains($periods, period)
),

revenue as (
  select * from int_kpis_revenue where list_contains($periods, period)
),

-- the outlets' commission, exclusive and shared outlets and adds of every channel type, summed by
-- the outlet's region (the figures per type come from mart_kpis_channel_type)
channels as (
  select period, region_code, sum(columns(* exclude (period, region_code, channel_type, outlets, active_outlets, gross_adds, converged_adds)))
  from int_kpis_channels
  where list_contains($periods, period)
  group by period, region_code
),

complaints as (
  select * from int_kpis_complaints where list_contains($periods, period) and dimension = 'total'
),

-- The figures that compare p with p-1 or are built from several kinds, as a numerator and a
-- denominator per city where the city has everything they need (else null), and ALL's are their
-- sums over those cities (kpis.md v2): a city loaded for the first time moves neither the
-- province's churn rate nor its net adds, complaints per 10k with one city's complaints missing
-- divide by the other cities' subscriptions, ARPU divides by the sum of the regions' own averages.
-- Like for like (lfl_: a subscriber slice for p and for p-1) and revenue with subscribers (rs_)
-- are the sums of int_kpis_segment_service's service rows, where they are defined per service;
-- complaints with subscribers (cs_), commission with revenue (cr_) and subscribers with channels
-- (sc_) are here.
compared as (
  select period, region_code, sum(columns('^(lfl|rs)_'))
  from int_kpis_segment_service
  where list_contains($periods, period) and dimension = 'service'
  group by period, region_code
),

covered as (
  select period, if(grouping(region_code) = 1, 'ALL', region_code) as region_code, sum(columns(* exclude (period, region_code)))
  from (
    select
      g.period,
      g.region_code,
      if(g.has_subscriber and g.has_revenue, coalesce(s.active_subscriptions, 0), null) as rs_active,
      if(g.has_subscriber and g.has_revenue, coalesce(s.zero_revenue_subscriptions, 0), null) as rs_zero_revenue,
      if(g.has_complaint and g.has_subscriber, coalesce(s.active_subscriptions, 0), null) as cs_active,
      if(g.has_complaint and g.has_subscriber, coalesce(co.complaints, 0), null) as cs_complaints,
      if(g.has_complaint and g.has_subscriber, coalesce(co.escalated_complaints, 0), null) as cs_escalated,
      if(g.has_complaint and g.has_subscriber, coalesce(co.regulator_complaints, 0), null) as cs_regulator,
      if(g.has_channel and g.has_revenue, coalesce(cn.commission, 0), null) as cr_commission,
      if(g.has_channel and g.has_revenue, coalesce(r.revenue, 0), null) as cr_revenue,
      if(g.has_subscriber and g.has_channel, coalesce(s.unattributed_adds, 0), null) as sc_unattributed
    from grid g
    left join subscriptions s using (period, region_code)
    left join revenue r using (period, region_code)
    left join channels cn using (period, region_code)
    left join complaints co using (period, region_code)
    where g.region_code <> 'ALL'
  )
  group by grouping sets ((period, region_code), (period))
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
    pivot (select * from mart_complaints_breakdown where list_contains($periods, period) and dimension in ('category', 'service'))
    on code in ('billing', 'network', 'service_attitude', 'product', 'installation', 'other', 'mobile', 'fixed_voice', 'broadband', 'iptv')
    using max(complaints) as complaints
    group by period, region_code
  ) using (period, region_code)
),

-- Each model's figures, null where a kind they come from has no slice for the (region, period) and
-- 0 where it has one but nothing counted (an empty slice is present).
joined as (
  select
    period,
    region_code,
    if(g.has_subscriber, coalesce(columns(s.* exclude (period, region_code)), 0), null),
    if(g.has_subscriber, coalesce(columns(cu.* exclude (period, region_code)), 0), null),
    if(g.has_subscriber, coalesce(columns(ch.* exclude (period, region_code)), 0), null),
    if(g.has_revenue, coalesce(columns(r.* exclude (period, region_code)), 0), null),
    if(g.has_channel, coalesce(columns(cn.* exclude (period, region_code, social_adds, exclusive_adds, shared_adds)), 0), null),
    -- the adds the region's outlets sold, from any region's subscriber slice
    if(g.has_channel and g.province_has_subscriber, coalesce(cn.social_adds, 0), null) as social_adds,
    if(g.has_channel and g.province_has_subscriber, coalesce(cn.exclusive_adds, 0), null) as exclusive_adds,
    if(g.has_channel and g.province_has_subscriber, coalesce(cn.shared_adds, 0), null) as shared_adds,
    if(g.has_complaint, coalesce(columns(co.* exclude (period, region_code, dimension, code, resolution_hours)), 0), null),
    if(g.has_complaint, co.resolution_hours, null) as resolution_hours,
    columns(m.* exclude (period, region_code)),
    columns(v.* exclude (period, region_code)),
    b.* exclude (period, region_code)
  from grid g
  left join subscriptions s using (period, region_code)
  left join int_kpis_customers cu using (period, region_code)
  left join int_kpis_churn ch using (period, region_code)
  left join revenue r using (period, region_code)
  left join channels cn using (period, region_code)
  left join complaints co using (period, region_code)
  left join compared m using (period, region_code)
  left join covered v using (period, region_code)
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
    ratio(lfl_churned, lfl_previous) as churn_rate,
    if(lfl_previous is null, null, ratio(converged_cohort_churned, converged_cohort)) as churn_rate_converged,
    if(lfl_previous is null, null, ratio(standalone_cohort_churned, standalone_cohort)) as churn_rate_standalone,
    (lfl_active - lfl_previous)::bigint as net_adds,
    if(lfl_previous is null, null, vanished_subscriptions) as vanished_subscriptions,
    -- revenue (DECIMAL)
    revenue::decimal(18, 2) as revenue,
    columns('^revenue_'),
    gross_amount::decimal(18, 2) as gross_amount,
    ratio(discount, gross_amount) as discount_rate,
    arpu(rs_revenue, rs_twice_average) as arpu,
    columns('^arpu_'),
    if(rs_revenue is null, null, money_div(rs_revenue, billed_customers)) as arpa,
    if(rs_revenue is null, null, money_div(converged_revenue, billed_converged_customers)) as arpa_converged,
    if(rs_revenue is null, null, money_div(standalone_revenue, billed_standalone_customers)) as arpa_standalone,
    orphan_revenue_rows,
    ratio(rs_zero_revenue, rs_active) as zero_revenue_share,
    -- channels, by the outlet's region except converged_adds_share and unattributed_adds
    columns('^gross_adds_'),
    ratio(converged_adds, gross_adds) as converged_adds_share,
    columns('^active_outlets_'),
    columns('^adds_per_outlet_'),
    commission::decimal(18, 2) as commission_total,
    money_div(social_commission, social_adds) as commission_per_add,
    ratio(exclusive_adds, social_adds) as exclusive_adds_share,
    exclusive_outlets,
    ratio(exclusive_adds, exclusive_outlets) as adds_per_outlet_exclusive,
    ratio(shared_adds, shared_outlets) as adds_per_outlet_shared,
    money_div(exclusive_commission, exclusive_adds) as commission_per_add_exclusive,
    money_div(shared_commission, shared_adds) as commission_per_add_shared,
    ratio(cr_commission, cr_revenue) as commission_revenue_ratio,
    sc_unattributed::bigint as unattributed_adds,
    -- complaints
    complaints,
    ratio(cs_complaints * 10000, cs_active) as complaints_per_10k,
    escalated_complaints,
    ratio(cs_escalated * 10000, cs_active) as escalated_per_10k,
    ratio(sla_met, sla_due) as sla_met_rate,
    ratio(resolution_hours, resolved) as mean_resolution_hours,
    ratio(repeats, complaints) as repeat_rate,
    ratio(satisfied, satisfaction_answers) as satisfaction_rate,
    columns('^complaints_'),
    open_complaints,
    overdue_open_complaints,
    ratio(cs_regulator * 1000000, cs_active) as regulator_complaints_per_million
  from joined
)

select * from final
