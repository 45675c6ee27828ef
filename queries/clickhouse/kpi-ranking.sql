-- One KPI of one period for every city that has a row; kpis.ts sets them beside the region list
-- (the control plane's) and ranks them by the KPI's direction. {{kpi}} is a checked key.
SELECT region_code, {{kpi}} AS value
FROM mart_kpis
WHERE period = toDate({period}) AND region_code <> 'ALL'
