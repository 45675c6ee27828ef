-- Every KPI of the months {from} … {to} for every region of the mart (the cities and ALL): the rows of
-- mart_kpis the targets' actuals (../targets-month.sql) and the alert rules (../alert-figures.sql) read.
SELECT *
FROM mart_kpis
WHERE period BETWEEN toDate({from}) AND toDate({to})
ORDER BY region_code, period
