-- What a briefing of $period is cached under: the newest data version among the model runs that
-- rebuilt a month it shows ($months, comma-separated: its 12 months and the same month a year
-- before), and the newest load of the month (the briefing lists its loads). A load of any other
-- month leaves it cached.
with runs as (
  select max(data_version) as data_version
  from model_runs
  where status <> 'error'
    and list_has_any(from_json(periods, '["VARCHAR"]'), string_split($months, ','))
),

loads as (
  select max(load_id) as load_id
  from load_slices
  where period = $period::date
),

final as (
  select coalesce(r.data_version, 0) as data_version, coalesce(l.load_id, 0) as load_id
  from runs r, loads l
)

select * from final
