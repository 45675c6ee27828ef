-- build: view
-- The slices that count (../../models/staging/stg_slices.sql). They live in the control plane (the
-- local DuckDB file's load_slices); the runner copies the current ones of the four data kinds into
-- ctl_slices on every shard before each run, and this view reads them there.
SELECT kind, region_code, period, rows, load_id
FROM ctl_slices
