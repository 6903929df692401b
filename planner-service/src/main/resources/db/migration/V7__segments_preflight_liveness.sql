-- Segments: a run of a plan's steps that must go on to its end once begun (a migration); pause and cancel wait.
alter table rollout_step add column segment varchar(120);
-- The versions every node must run, and the node count, before the step first starts (executor's pre-flight).
alter table rollout_step add column preflight_version varchar(64);
alter table rollout_cluster add column nodes integer;
-- Liveness: a step times out on silence since its last status, not on its age.
alter table rollout_step add column last_status_at timestamptz;
-- A program-readable reason of a failure (PRECONDITION_FAILED, CANCELLED, TIMED_OUT).
alter table rollout_step add column error_code varchar(40);
-- The latest attempt the executor reported ended; a retry waits for the attempt before it to end.
alter table rollout_step add column ended_attempt integer not null default 0;
alter table rollout_step add column retry_queued_at timestamptz;
