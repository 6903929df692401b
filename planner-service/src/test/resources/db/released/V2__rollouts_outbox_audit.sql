-- A rollout: one request to move selected clusters to a target, with its strategy.
create table rollout (
    id                  varchar(36)  primary key,
    product             varchar(32)  not null,
    target_version      varchar(64)  not null,
    state               varchar(16)  not null,
    selector            text,
    max_parallel        integer      not null check (max_parallel >= 1),
    max_failed_clusters integer      not null check (max_failed_clusters >= 1),
    idempotency_key     varchar(200) unique,
    request_hash        varchar(64)  not null,
    actor               varchar(200) not null,
    message             text,
    audit_count         integer      not null default 0,
    audit_head          varchar(64),
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    finished_at         timestamptz
);
create index rollout_state_idx on rollout (state, created_at);

-- Each cluster's plan within a rollout.
create table rollout_cluster (
    rollout_id      varchar(36)  not null references rollout (id),
    cluster_id      varchar(63)  not null,
    position        integer      not null,
    state           varchar(20)  not null,
    from_version    varchar(64),
    to_version      varchar(64),
    current_seq     integer      not null default 0,
    refusal_code    varchar(32),
    message         text,
    connection      text,
    started_at      timestamptz,
    finished_at     timestamptz,
    primary key (rollout_id, cluster_id)
);
create index rollout_cluster_state_idx on rollout_cluster (rollout_id, state, position);

-- The steps of each plan; step_id is stable across attempts and is what the executor dedupes on.
create table rollout_step (
    step_id      varchar(120) primary key,
    rollout_id   varchar(36)  not null,
    cluster_id   varchar(63)  not null,
    seq          integer      not null,
    kind         varchar(32)  not null,
    to_version   varchar(64),
    rule         varchar(8)   not null,
    reason       text         not null,
    params       text         not null,
    state        varchar(16)  not null,
    attempts     integer      not null default 0,
    message      text,
    error        text,
    dispatched_at timestamptz,
    started_at   timestamptz,
    finished_at  timestamptz,
    unique (rollout_id, cluster_id, seq),
    foreign key (rollout_id, cluster_id) references rollout_cluster (rollout_id, cluster_id)
);
create index rollout_step_inflight_idx on rollout_step (state, dispatched_at) where state in ('DISPATCHED', 'RUNNING');

-- Transactional outbox: written with the state change, relayed to Kafka, marked sent after the broker acked.
create table outbox_event (
    id           bigserial    primary key,
    event_id     varchar(36)  not null unique,
    topic        varchar(200) not null,
    message_key  varchar(200) not null,
    event_type   varchar(100) not null,
    subject      varchar(200),
    payload      text         not null,
    created_at   timestamptz  not null,
    sent_at      timestamptz
);
create index outbox_unsent_idx on outbox_event (id) where sent_at is null;

-- Status events already applied (consumers dedupe on the CloudEvents id).
create table processed_event (
    event_id     varchar(100) primary key,
    processed_at timestamptz  not null
);

-- Append-only audit trail, hash-chained per rollout; rollout.audit_head anchors the chain's end.
create table audit_entry (
    rollout_id  varchar(36)  not null references rollout (id),
    seq         integer      not null,
    at          timestamptz  not null,
    actor       varchar(200) not null,
    type        varchar(60)  not null,
    cluster_id  varchar(63),
    step_seq    integer,
    details     text         not null,
    prev_hash   varchar(64)  not null,
    hash        varchar(64)  not null,
    primary key (rollout_id, seq)
);
