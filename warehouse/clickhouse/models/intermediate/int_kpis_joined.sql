-- build: cluster
-- Every (period, region incl. ALL) of the grid with the figures mart_kpis is made of, one source
-- per join (ClickHouse 18.16 joins one table per SELECT): the int_kpis_* models, the channel figures
-- summed over the types, the complaint totals, the like-for-like and revenue-with-subscribers sums
-- of int_kpis_segment_service's service rows, and the breakdown marts turned into columns
-- <figure>_<code> (pick: the code's row). mart_kpis applies the null rule and ALL's sums.
SELECT
  period, region_code, has_subscriber, has_revenue, has_channel, has_complaint, has_previous_subscriber, province_has_subscriber,
  active_subscriptions, gross_adds, churned, converged_adds, unattributed_adds, zero_revenue_subscriptions,
  active_customers, converged_customers, customers_1_play, customers_2_play, customers_3_play, customers_4_play,
  billed_customers, billed_converged_customers, billed_standalone_customers, converged_revenue, standalone_revenue,
  converged_cohort, converged_cohort_churned, standalone_cohort, standalone_cohort_churned, vanished_subscriptions,
  revenue, gross_amount, discount, orphan_revenue_rows,
  exclusive_outlets, shared_outlets, commission, social_commission, exclusive_commission, shared_commission,
  social_adds, exclusive_adds, shared_adds,
  complaints, escalated_complaints, regulator_complaints, sla_met, sla_due, resolved, resolution_hours,
  open_complaints, overdue_open_complaints, repeats, satisfied, satisfaction_answers,
  lfl_active, lfl_previous, lfl_churned, rs_revenue, rs_twice_average,
  active_subscriptions_mobile, active_subscriptions_fixed_voice, active_subscriptions_broadband, active_subscriptions_iptv,
  revenue_mobile, revenue_fixed_voice, revenue_broadband, revenue_iptv,
  arpu_mobile, arpu_fixed_voice, arpu_broadband, arpu_iptv,
  gross_adds_self_run_hall, gross_adds_partner_full, gross_adds_partner_store, gross_adds_service_point,
  gross_adds_online, gross_adds_hotline, gross_adds_account_manager, active_outlets_self_run_hall,
  active_outlets_partner_full, active_outlets_partner_store, active_outlets_service_point, active_outlets_online,
  active_outlets_hotline, active_outlets_account_manager, adds_per_outlet_self_run_hall, adds_per_outlet_partner_full,
  adds_per_outlet_partner_store, adds_per_outlet_service_point, adds_per_outlet_online, adds_per_outlet_hotline,
  adds_per_outlet_account_manager, complaints_billing, complaints_network, complaints_service_attitude,
  complaints_product, complaints_installation, complaints_other, complaints_mobile,
  complaints_fixed_voice, complaints_broadband, complaints_iptv,
  -- per city, what the figures of several kinds divide (kpis.md v2); mart_kpis sums them for ALL
  if(region_code <> 'ALL' AND has_subscriber AND has_revenue, ifNull(active_subscriptions, 0), NULL) AS rs_active,
  if(region_code <> 'ALL' AND has_subscriber AND has_revenue, ifNull(zero_revenue_subscriptions, 0), NULL) AS rs_zero_revenue,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(active_subscriptions, 0), NULL) AS cs_active,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(complaints, 0), NULL) AS cs_complaints,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(escalated_complaints, 0), NULL) AS cs_escalated,
  if(region_code <> 'ALL' AND has_complaint AND has_subscriber, ifNull(regulator_complaints, 0), NULL) AS cs_regulator,
  if(region_code <> 'ALL' AND has_channel AND has_revenue, ifNull(commission, toDecimal128(0, 2)), NULL) AS cr_commission,
  if(region_code <> 'ALL' AND has_channel AND has_revenue, ifNull(revenue, toDecimal128(0, 2)), NULL) AS cr_revenue,
  if(region_code <> 'ALL' AND has_subscriber AND has_channel, ifNull(unattributed_adds, 0), NULL) AS sc_unattributed
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
SELECT *
FROM (
  SELECT period, region_code, has_subscriber, has_revenue, has_channel, has_complaint, has_previous_subscriber, province_has_subscriber
  FROM int_kpi_grid
  WHERE period IN {periods}
)
ALL LEFT JOIN (
  SELECT period, region_code, active_subscriptions, gross_adds, churned, converged_adds, unattributed_adds, zero_revenue_subscriptions
  FROM int_kpis_subscriptions
  WHERE period IN {periods}
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code, active_customers, converged_customers, customers_1_play, customers_2_play, customers_3_play,
    customers_4_play, billed_customers, billed_converged_customers, billed_standalone_customers, converged_revenue, standalone_revenue
  FROM int_kpis_customers
  WHERE period IN {periods}
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code, converged_cohort, converged_cohort_churned, standalone_cohort, standalone_cohort_churned, vanished_subscriptions
  FROM int_kpis_churn
  WHERE period IN {periods}
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code, revenue, gross_amount, discount, orphan_revenue_rows
  FROM int_kpis_revenue
  WHERE period IN {periods}
) USING (period, region_code)
)
ALL LEFT JOIN (
  -- the outlets' commission, exclusive and shared outlets and adds of every type, by the outlet's region
  SELECT period, region_code,
    sum(exclusive_outlets) AS exclusive_outlets, sum(shared_outlets) AS shared_outlets,
    sum(commission) AS commission, sum(social_commission) AS social_commission,
    sum(exclusive_commission) AS exclusive_commission, sum(shared_commission) AS shared_commission,
    sum(social_adds) AS social_adds, sum(exclusive_adds) AS exclusive_adds, sum(shared_adds) AS shared_adds
  FROM int_kpis_channels
  WHERE period IN {periods}
  GROUP BY period, region_code
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code, complaints, escalated_complaints, regulator_complaints, sla_met, sla_due, resolved, resolution_hours,
    open_complaints, overdue_open_complaints, repeats, satisfied, satisfaction_answers
  FROM int_kpis_complaints
  WHERE period IN {periods} AND dimension = 'total'
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code,
    sum(lfl_active) AS lfl_active, sum(lfl_previous) AS lfl_previous, sum(lfl_churned) AS lfl_churned,
    sum(rs_revenue) AS rs_revenue, sum(rs_twice_average) AS rs_twice_average
  FROM int_kpis_segment_service
  WHERE period IN {periods} AND dimension = 'service'
  GROUP BY period, region_code
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code,
    pick(active_subscriptions, service = 'mobile') AS active_subscriptions_mobile,
    pick(active_subscriptions, service = 'fixed_voice') AS active_subscriptions_fixed_voice,
    pick(active_subscriptions, service = 'broadband') AS active_subscriptions_broadband,
    pick(active_subscriptions, service = 'iptv') AS active_subscriptions_iptv,
    pick(revenue, service = 'mobile') AS revenue_mobile,
    pick(revenue, service = 'fixed_voice') AS revenue_fixed_voice,
    pick(revenue, service = 'broadband') AS revenue_broadband,
    pick(revenue, service = 'iptv') AS revenue_iptv,
    pick(arpu, service = 'mobile') AS arpu_mobile,
    pick(arpu, service = 'fixed_voice') AS arpu_fixed_voice,
    pick(arpu, service = 'broadband') AS arpu_broadband,
    pick(arpu, service = 'iptv') AS arpu_iptv
  FROM mart_kpis_service
  WHERE period IN {periods}
  GROUP BY period, region_code
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code,
    pick(gross_adds, channel_type = 'self_run_hall') AS gross_adds_self_run_hall,
    pick(gross_adds, channel_type = 'partner_full') AS gross_adds_partner_full,
    pick(gross_adds, channel_type = 'partner_store') AS gross_adds_partner_store,
    pick(gross_adds, channel_type = 'service_point') AS gross_adds_service_point,
    pick(gross_adds, channel_type = 'online') AS gross_adds_online,
    pick(gross_adds, channel_type = 'hotline') AS gross_adds_hotline,
    pick(gross_adds, channel_type = 'account_manager') AS gross_adds_account_manager,
    pick(active_outlets, channel_type = 'self_run_hall') AS active_outlets_self_run_hall,
    pick(active_outlets, channel_type = 'partner_full') AS active_outlets_partner_full,
    pick(active_outlets, channel_type = 'partner_store') AS active_outlets_partner_store,
    pick(active_outlets, channel_type = 'service_point') AS active_outlets_service_point,
    pick(active_outlets, channel_type = 'online') AS active_outlets_online,
    pick(active_outlets, channel_type = 'hotline') AS active_outlets_hotline,
    pick(active_outlets, channel_type = 'account_manager') AS active_outlets_account_manager,
    pick(adds_per_outlet, channel_type = 'self_run_hall') AS adds_per_outlet_self_run_hall,
    pick(adds_per_outlet, channel_type = 'partner_full') AS adds_per_outlet_partner_full,
    pick(adds_per_outlet, channel_type = 'partner_store') AS adds_per_outlet_partner_store,
    pick(adds_per_outlet, channel_type = 'service_point') AS adds_per_outlet_service_point,
    pick(adds_per_outlet, channel_type = 'online') AS adds_per_outlet_online,
    pick(adds_per_outlet, channel_type = 'hotline') AS adds_per_outlet_hotline,
    pick(adds_per_outlet, channel_type = 'account_manager') AS adds_per_outlet_account_manager
  FROM mart_kpis_channel_type
  WHERE period IN {periods}
  GROUP BY period, region_code
) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, region_code,
    pick(complaints, code = 'billing' AND dimension = 'category') AS complaints_billing,
    pick(complaints, code = 'network' AND dimension = 'category') AS complaints_network,
    pick(complaints, code = 'service_attitude' AND dimension = 'category') AS complaints_service_attitude,
    pick(complaints, code = 'product' AND dimension = 'category') AS complaints_product,
    pick(complaints, code = 'installation' AND dimension = 'category') AS complaints_installation,
    pick(complaints, code = 'other' AND dimension = 'category') AS complaints_other,
    pick(complaints, code = 'mobile' AND dimension = 'service') AS complaints_mobile,
    pick(complaints, code = 'fixed_voice' AND dimension = 'service') AS complaints_fixed_voice,
    pick(complaints, code = 'broadband' AND dimension = 'service') AS complaints_broadband,
    pick(complaints, code = 'iptv' AND dimension = 'service') AS complaints_iptv
  FROM mart_complaints_breakdown
  WHERE period IN {periods} AND dimension IN ('category', 'service')
  GROUP BY period, region_code
) USING (period, region_code)
