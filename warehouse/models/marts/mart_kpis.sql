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

services as (
  select
    period,
    region_code,
    max(active_subscriptions) filter (where service = 'mobile') as active_subscriptions_mobile,
    max(active_subscriptions) filter (where service = 'fixed_voice') as active_subscriptions_fixed_voice,
    max(active_subscriptions) filter (where service = 'broadband') as active_subscriptions_broadband,
    max(active_subscriptions) filter (where service = 'iptv') as active_subscriptions_iptv,
    max(revenue) filter (where service = 'mobile') as revenue_mobile,
    max(revenue) filter (where service = 'fixed_voice') as revenue_fixed_voice,
    max(revenue) filter (where service = 'broadband') as revenue_broadband,
    max(revenue) filter (where service = 'iptv') as revenue_iptv,
    max(arpu) filter (where service = 'mobile') as arpu_mobile,
    max(arpu) filter (where service = 'fixed_voice') as arpu_fixed_voice,
    max(arpu) filter (where service = 'broadband') as arpu_broadband,
    max(arpu) filter (where service = 'iptv') as arpu_iptv
  from mart_kpis_service
  where list_contains($periods, period)
  group by period, region_code
),

channel_types as (
  select
    period,
    region_code,
    max(gross_adds) filter (where channel_type = 'self_run_hall') as gross_adds_self_run_hall,
    max(gross_adds) filter (where channel_type = 'partner_full') as gross_adds_partner_full,
    max(gross_adds) filter (where channel_type = 'partner_store') as gross_adds_partner_store,
    max(gross_adds) filter (where channel_type = 'service_point') as gross_adds_service_point,
    max(gross_adds) filter (where channel_type = 'online') as gross_adds_online,
    max(gross_adds) filter (where channel_type = 'hotline') as gross_adds_hotline,
    max(gross_adds) filter (where channel_type = 'account_manager') as gross_adds_account_manager,
    max(active_outlets) filter (where channel_type = 'self_run_hall') as active_outlets_self_run_hall,
    max(active_outlets) filter (where channel_type = 'partner_full') as active_outlets_partner_full,
    max(active_outlets) filter (where channel_type = 'partner_store') as active_outlets_partner_store,
    max(active_outlets) filter (where channel_type = 'service_point') as active_outlets_service_point,
    max(active_outlets) filter (where channel_type = 'online') as active_outlets_online,
    max(active_outlets) filter (where channel_type = 'hotline') as active_outlets_hotline,
    max(active_outlets) filter (where channel_type = 'account_manager') as active_outlets_account_manager,
    max(adds_per_outlet) filter (where channel_type = 'self_run_hall') as adds_per_outlet_self_run_hall,
    max(adds_per_outlet) filter (where channel_type = 'partner_full') as adds_per_outlet_partner_full,
    max(adds_per_outlet) filter (where channel_type = 'partner_store') as adds_per_outlet_partner_store,
    max(adds_per_outlet) filter (where channel_type = 'service_point') as adds_per_outlet_service_point,
    max(adds_per_outlet) filter (where channel_type = 'online') as adds_per_outlet_online,
    max(adds_per_outlet) filter (where channel_type = 'hotline') as adds_per_outlet_hotline,
    max(adds_per_outlet) filter (where channel_type = 'account_manager') as adds_per_outlet_account_manager
  from mart_kpis_channel_type
  where list_contains($periods, period)
  group by period, region_code
),

categories as (
  select
    period,
    region_code,
    max(complaints) filter (where category = 'billing') as complaints_billing,
    max(complaints) filter (where category = 'network') as complaints_network,
    max(complaints) filter (where category = 'service_attitude') as complaints_service_attitude,
    max(complaints) filter (where category = 'product') as complaints_product,
    max(complaints) filter (where category = 'installation') as complaints_installation,
    max(complaints) filter (where category = 'other') as complaints_other
  from mart_complaints_category
  where list_contains($periods, period)
  group by period, region_code
),

subscriptions as (
  select * from int_kpis_subscriptions where list_contains($periods, period)
),

customers as (
  select * from int_kpis_customers where list_contains($periods, period)
),

churn as (
  select * from int_kpis_churn where list_contains($periods, period)
),

revenue as (
  select * from int_kpis_revenue where list_contains($periods, period)
),

channels as (
  select * from int_kpis_channels where list_contains($periods, period)
),

complaints as (
  select * from int_kpis_complaints where list_contains($periods, period)
),

joined as (
  select
    g.period,
    g.region_code,
    if(g.has_subscriber, coalesce(s.active_subscriptions, 0), null) as active_subscriptions,
    p.active_subscriptions as previous_active_subscriptions,
    if(g.has_subscriber, coalesce(s.gross_adds, 0), null) as gross_adds,
    if(g.has_subscriber, coalesce(s.churned, 0), null) as churned,
    if(g.has_subscriber, coalesce(s.bundled_adds, 0), null) as bundled_adds,
    if(g.has_subscriber, coalesce(s.unattributed_adds, 0), null) as unattributed_adds,
    if(g.has_subscriber, coalesce(s.social_adds, 0), null) as social_adds,
    if(g.has_subscriber, coalesce(s.exclusive_social_adds, 0), null) as exclusive_social_adds,
    if(g.has_subscriber, coalesce(cu.active_customers, 0), null) as active_customers,
    if(g.has_subscriber, coalesce(cu.converged_customers, 0), null) as converged_customers,
    if(g.has_subscriber, coalesce(cu.standalone_customers, 0), null) as standalone_customers,
    if(g.has_subscriber, coalesce(cu.customers_1_play, 0), null) as customers_1_play,
    if(g.has_subscriber, coalesce(cu.customers_2_play, 0), null) as customers_2_play,
    if(g.has_subscriber, coalesce(cu.customers_3_play, 0), null) as customers_3_play,
    if(g.has_subscriber, coalesce(cu.customers_4_play, 0), null) as customers_4_play,
    if(g.has_revenue, coalesce(cu.converged_revenue, 0), null) as converged_revenue,
    if(g.has_revenue, coalesce(cu.standalone_revenue, 0), null) as standalone_revenue,
    if(g.has_subscriber, coalesce(ch.converged_cohort, 0), null) as converged_cohort,
    if(g.has_subscriber, coalesce(ch.converged_cohort_churned, 0), null) as converged_cohort_churned,
    if(g.has_subscriber, coalesce(ch.standalone_cohort, 0), null) as standalone_cohort,
    if(g.has_subscriber, coalesce(ch.standalone_cohort_churned, 0), null) as standalone_cohort_churned,
    if(p.period is null, null, coalesce(ch.vanished_subscriptions, 0)) as vanished_subscriptions,
    if(g.has_revenue, coalesce(r.revenue, 0), null) as revenue,
    if(g.has_revenue, coalesce(r.gross_amount, 0), null) as gross_amount,
    if(g.has_revenue, coalesce(r.discount, 0), null) as discount,
    if(g.has_revenue, coalesce(r.orphan_revenue_rows, 0), null) as orphan_revenue_rows,
    if(g.has_channel, coalesce(cn.commission_total, 0), null) as commission_total,
    if(g.has_channel, coalesce(cn.social_commission, 0), null) as social_commission,
    coalesce(co.complaints, 0) as complaints,
    coalesce(co.escalated_complaints, 0) as escalated_complaints,
    coalesce(co.sla_met, 0) as sla_met,
    coalesce(co.sla_due, 0) as sla_due,
    coalesce(co.resolved, 0) as resolved,
    co.resolution_hours,
    coalesce(co.repeats, 0) as repeats,
    coalesce(co.satisfied, 0) as satisfied,
    coalesce(co.satisfaction_answers, 0) as satisfaction_answers,
    sv.active_subscriptions_mobile,
    sv.active_subscriptions_fixed_voice,
    sv.active_subscriptions_broadband,
    sv.active_subscriptions_iptv,
    sv.revenue_mobile,
    sv.revenue_fixed_voice,
    sv.revenue_broadband,
    sv.revenue_iptv,
    sv.arpu_mobile,
    sv.arpu_fixed_voice,
    sv.arpu_broadband,
    sv.arpu_iptv,
    ct.gross_adds_self_run_hall,
    ct.gross_adds_partner_full,
    ct.gross_adds_partner_store,
    ct.gross_adds_service_point,
    ct.gross_adds_online,
    ct.gross_adds_hotline,
    ct.gross_adds_account_manager,
    ct.active_outlets_self_run_hall,
    ct.active_outlets_partner_full,
    ct.active_outlets_partner_store,
    ct.active_outlets_service_point,
    ct.active_outlets_online,
    ct.active_outlets_hotline,
    ct.active_outlets_account_manager,
    ct.adds_per_outlet_self_run_hall,
    ct.adds_per_outlet_partner_full,
    ct.adds_per_outlet_partner_store,
    ct.adds_per_outlet_service_point,
    ct.adds_per_outlet_online,
    ct.adds_per_outlet_hotline,
    ct.adds_per_outlet_account_manager,
    ca.complaints_billing,
    ca.complaints_network,
    ca.complaints_service_attitude,
    ca.complaints_product,
    ca.complaints_installation,
    ca.complaints_other
  from grid g
  left join previous_stock p on p.period = g.period and p.region_code = g.region_code
  left join subscriptions s on s.period = g.period and s.region_code = g.region_code
  left join customers cu on cu.period = g.period and cu.region_code = g.region_code
  left join churn ch on ch.period = g.period and ch.region_code = g.region_code
  left join revenue r on r.period = g.period and r.region_code = g.region_code
  left join channels cn on cn.period = g.period and cn.region_code = g.region_code
  left join complaints co on co.period = g.period and co.region_code = g.region_code
  left join services sv on sv.period = g.period and sv.region_code = g.region_code
  left join channel_types ct on ct.period = g.period and ct.region_code = g.region_code
  left join categories ca on ca.period = g.period and ca.region_code = g.region_code
),

final as (
  select
    period,
    region_code,
    -- subscribers and convergence
    active_subscriptions,
    active_subscriptions_mobile,
    active_subscriptions_fixed_voice,
    active_subscriptions_broadband,
    active_subscriptions_iptv,
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
    revenue_mobile,
    revenue_fixed_voice,
    revenue_broadband,
    revenue_iptv,
    gross_amount::decimal(18, 2) as gross_amount,
    ratio(discount, gross_amount) as discount_rate,
    money_div(revenue * if(previous_active_subscriptions is null, 1, 2),
              active_subscriptions + coalesce(previous_active_subscriptions, 0)) as arpu,
    arpu_mobile,
    arpu_fixed_voice,
    arpu_broadband,
    arpu_iptv,
    money_div(revenue, active_customers) as arpa,
    money_div(converged_revenue, converged_customers) as arpa_converged,
    money_div(standalone_revenue, standalone_customers) as arpa_standalone,
    orphan_revenue_rows,
    -- channels
    gross_adds_self_run_hall,
    gross_adds_partner_full,
    gross_adds_partner_store,
    gross_adds_service_point,
    gross_adds_online,
    gross_adds_hotline,
    gross_adds_account_manager,
    ratio(bundled_adds, gross_adds) as converged_adds_share,
    active_outlets_self_run_hall,
    active_outlets_partner_full,
    active_outlets_partner_store,
    active_outlets_service_point,
    active_outlets_online,
    active_outlets_hotline,
    active_outlets_account_manager,
    adds_per_outlet_self_run_hall,
    adds_per_outlet_partner_full,
    adds_per_outlet_partner_store,
    adds_per_outlet_service_point,
    adds_per_outlet_online,
    adds_per_outlet_hotline,
    adds_per_outlet_account_manager,
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
    complaints_billing,
    complaints_network,
    complaints_service_attitude,
    complaints_product,
    complaints_installation,
    complaints_other
  from joined
)

select * from final
