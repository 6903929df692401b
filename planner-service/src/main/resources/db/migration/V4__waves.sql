-- Waves: a rollout's clusters go in ordered groups; a wave starts only when every cluster of the one before
-- it has ended, and the rollout may pause between two waves. Rollouts without waves have one wave, "all".
alter table rollout add column waves jsonb not null default '[{"name":"all","pauseAfter":false}]'::jsonb;
alter table rollout add column current_wave integer not null default 1;
alter table rollout_cluster add column wave integer not null default 1;
create index rollout_cluster_wave_idx on rollout_cluster (rollout_id, wave, state, position);
