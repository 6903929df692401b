-- A cluster belongs to at most one unfinished rollout: the one holding its lease. The primary key makes two
-- rollouts (from any planner instance) that reach for the same cluster at once end with exactly one holder.
create table cluster_lease (
    cluster_id  varchar(63)  primary key,
    rollout_id  varchar(36)  not null references rollout (id),
    acquired_at timestamptz  not null
);
create index cluster_lease_rollout_idx on cluster_lease (rollout_id);

-- Rollouts already running hold their clusters that have not ended.
insert into cluster_lease (cluster_id, rollout_id, acquired_at)
select distinct on (rc.cluster_id) rc.cluster_id, rc.rollout_id, now()
from rollout_cluster rc join rollout r on r.id = rc.rollout_id
where r.finished_at is null and rc.state in ('WAITING', 'RUNNING', 'AWAITING_APPROVAL')
order by rc.cluster_id, r.created_at;
