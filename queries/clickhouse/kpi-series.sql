-- One KPI of one region month by month from {from} to {to}: the months with a figure; kpis.ts puts
-- every month of the range in order, null where there is none. {{kpi}} is the KPI's column, a
-- checked key.
SELECT toString(period) AS month, {{kpi}} AS value
FROM mart_kpis
WHERE region_code = {region} AND period >= toDate({from}) AND period <= toDate({to})
