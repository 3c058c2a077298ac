-- kept_counts_stale: the keys of counts beyond the newest ones kept, besides one key.
-- grain:  one row per key to drop
-- input:  none (workbench_models.counts)
-- params: $key the key that stays; $keep how many other keys stay
select key
from workbench_models.counts
where key <> $key
group by key
order by max(kept_at) desc
offset $keep
