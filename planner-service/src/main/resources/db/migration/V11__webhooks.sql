-- Webhooks: HTTP endpoints that receive the lifecycle events of stepwise.rollouts as CloudEvents (README,
-- "Webhooks"). The secret signs each request, so it is kept as given; the API never returns it.
create table webhook (
    id         varchar(36)   primary key,
    url        varchar(2000) not null,
    secret     varchar(500)  not null,
    -- event type prefixes, comma-separated (each is [A-Za-z0-9._-]); empty: every type
    types      varchar(4200) not null,
    -- null: every rollout's events
    rollout_id varchar(36),
    created_at timestamptz   not null,
    created_by varchar(300)  not null
);

-- One row per webhook and event: unique on both, so an event consumed again adds nothing. The body is the exact
-- CloudEvent sent on every attempt.
create table webhook_delivery (
    id              bigserial     primary key,
    webhook_id      varchar(36)   not null references webhook (id) on delete cascade,
    event_id        varchar(200)  not null,
    event_type      varchar(200)  not null,
    rollout_id      varchar(36),
    body            text          not null,
    state           varchar(16)   not null,
    attempts        integer       not null default 0,
    last_status     integer,
    last_error      varchar(300),
    next_attempt_at timestamptz,
    delivered_at    timestamptz,
    created_at      timestamptz   not null,
    unique (webhook_id, event_id)
);
-- what the sender looks for: pending deliveries that are due
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'PENDING';
-- the delivery log of one webhook, newest first
create index webhook_delivery_log on webhook_delivery (webhook_id, id desc);
