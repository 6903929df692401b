-- Every step attempt the executor accepted: recorded before the Kafka record is acknowledged, so a
-- crash never loses an accepted step; unfinished rows are resumed at start-up.
create table step_execution (
    step_id          varchar(120) not null,
    attempt          integer      not null,
    rollout_id       varchar(36)  not null,
    cluster_id       varchar(63)  not null,
    seq              integer      not null,
    kind             varchar(32)  not null,
    request          text         not null,
    state            varchar(16)  not null,
    message          text,
    observed_version varchar(64),
    received_at      timestamptz  not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    primary key (step_id, attempt)
);
create index step_execution_unfinished_idx on step_execution (received_at) where state in ('PENDING', 'RUNNING');

-- The outbox table (outbox_event) is created by the outbox module's migration, db/outbox.
