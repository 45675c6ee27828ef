-- Complaints per category and per source add up to the complaints; per service they add up to the
-- complaints that name a service. Overdue open complaints are open, and open ones are complaints
-- (../../../models/tests/complaints_sum_to_total.sql). One join per SELECT: mart_kpis with the
-- breakdown's sums, then with the complaints without a service (ALL's from every region's rows,
-- [region, 'ALL'] as the models count them). A sum over a region without a complaint slice is null
-- (sumIf gives 0 where no row has a figure, hence the counts), two nulls are equal, and a
-- comparison with null breaks nothing.
SELECT period, region_code, complaints
FROM (
  SELECT *
  FROM (
    SELECT period, region_code, complaints, escalated_complaints, open_complaints, overdue_open_complaints,
      complaints_billing + complaints_network + complaints_service_attitude + complaints_product
        + complaints_installation + complaints_other AS by_category
    FROM mart_kpis
    WHERE period IN {periods}
  )
  ALL LEFT JOIN (
    SELECT
      period, region_code,
      if(countIf(dimension = 'source' AND isNotNull(complaints)) = 0, NULL, sumIf(complaints, dimension = 'source')) AS by_source,
      if(countIf(dimension = 'source' AND isNotNull(escalated_complaints)) = 0, NULL,
         sumIf(escalated_complaints, dimension = 'source')) AS escalated_by_source,
      if(countIf(dimension = 'service' AND isNotNull(complaints)) = 0, NULL, sumIf(complaints, dimension = 'service')) AS by_service
    FROM mart_complaints_breakdown
    WHERE period IN {periods}
    GROUP BY period, region_code
  ) USING (period, region_code)
)
ALL LEFT JOIN (
  SELECT period, rc AS region_code, without_service
  FROM (
    SELECT period, arrayJoin([region_code, 'ALL']) AS rc, countIf(isNull(service)) AS without_service
    FROM stg_complaint
    WHERE period IN {periods}
    GROUP BY period, rc
  )
) USING (period, region_code)
WHERE ifNull(complaints <> by_category, 0)
   OR (isNull(by_source) <> isNull(complaints)) OR ifNull(by_source <> complaints, 0)
   OR (isNull(escalated_by_source) <> isNull(escalated_complaints)) OR ifNull(escalated_by_source <> escalated_complaints, 0)
   OR (isNull(by_service) <> isNull(complaints)) OR ifNull(by_service + ifNull(without_service, 0) <> complaints, 0)
   OR ifNull(overdue_open_complaints > open_complaints, 0)
   OR ifNull(open_complaints > complaints, 0)
