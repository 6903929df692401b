-- Strategies (issue 28): schedules, gates, soaks, holds, freezes, maintenance windows, reusable strategies.
-- A rollout SCHEDULED until start_at; its gates; where it stands between two waves.
alter table rollout add column start_at timestamptz;
alter table rollout add column gates jsonb not null default '[]';
-- The gates passed and soaks ended so far ("after:canary", "soak:canary", "before:prod").
alter table rollout add column passed jsonb not null default '[]';
-- The gate the rollout waits at, or the end of the soak it waits out.
alter table rollout add column pending_gate varchar(300);
alter table rollout add column wait_until timestamptz;
-- Clusters registered later that match the selector join the last wave until the rollout ends.
alter table rollout add column follow_selector boolean not null default false;
alter table rollout add column strategy_name varchar(63);
-- Whether the rollout is planned from what its clusters really run (kept for a scheduled one, planned later).
alter table rollout add column probe boolean not null default true;
-- The current wave's own limits, resolved from a count or a percentage (null: the rollout's).
alter table rollout add column wave_max_parallel integer check (wave_max_parallel >= 1);
alter table rollout add column wave_max_failed integer check (wave_max_failed >= 1);
create index rollout_waiting_idx on rollout (state, wait_until) where wait_until is not null;
create index rollout_follow_idx on rollout (product) where follow_selector and finished_at is null;
create index rollout_scheduled_idx on rollout (start_at) where state = 'SCHEDULED';

-- Why a cluster has not started its next segment yet (a freeze, outside its maintenance window); null when it may.
alter table rollout_cluster add column deferred varchar(500);
create index rollout_cluster_deferred_idx on rollout_cluster (rollout_id) where deferred is not null;

-- A hold keeps rollouts off a cluster; maintenance windows say when they may change it.
alter table cluster add column hold_reason varchar(500);
alter table cluster add column held_by varchar(200);
alter table cluster add column held_at timestamptz;
alter table cluster add column windows jsonb;

create table fleet_freeze (
    id         varchar(36)  primary key,
    starts_at  timestamptz  not null,
    ends_at    timestamptz  not null check (ends_at > starts_at),
    reason     varchar(500) not null,
    actor      varchar(200) not null,
    created_at timestamptz  not null
);
create index fleet_freeze_ends_idx on fleet_freeze (ends_at);

-- Maintenance windows shared by clusters that name the policy in the label stepwise.io/window-policy.
create table window_policy (
    name       varchar(63)  primary key,
    windows    jsonb        not null,
    actor      varchar(200) not null,
    updated_at timestamptz  not null
);

create table strategy (
    name       varchar(63)  primary key,
    body       jsonb        not null,
    actor      varchar(200) not null,
    updated_at timestamptz  not null
);
