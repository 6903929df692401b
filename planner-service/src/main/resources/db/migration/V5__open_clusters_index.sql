-- What the planner asks whenever a cluster ends: which is the rollout's lowest wave with a cluster not yet ended,
-- and how many of its clusters run. These two indexes hold only clusters not yet ended, and only those running,
-- so each answer is an index probe however many of the rollout's clusters have ended; counting every cluster
-- took 7.5 ms per ended cluster at 10,000 clusters.
create index rollout_cluster_open_idx on rollout_cluster (rollout_id, wave)
    where state in ('WAITING', 'RUNNING', 'AWAITING_APPROVAL');
create index rollout_cluster_active_idx on rollout_cluster (rollout_id)
    where state in ('RUNNING', 'AWAITING_APPROVAL');
