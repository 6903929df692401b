-- The transactional outbox of both services (io.stepwise.outbox): a row is written with the state change it
-- announces, relayed to Kafka, and marked sent after the broker acked. Defined here only: both services add
-- db/outbox to quarkus.flyway.locations.
--
-- A repeatable migration: Flyway applies it after the service's versioned migrations, and again whenever this file
-- changes, so every statement here must be idempotent. That keeps it out of the services' version numbers (they
-- share one history table with it). Change the outbox table here, never in a service's migration.

create table if not exists outbox_event (
    id           bigserial    primary key,
    event_id     varchar(200) not null,
    topic        varchar(200) not null,
    message_key  varchar(200) not null,
    event_type   varchar(100) not null,
    subject      varchar(200),
    payload      text         not null,
    created_at   timestamptz  not null,
    sent_at      timestamptz
);
create index if not exists outbox_unsent_idx on outbox_event (id) where sent_at is null;

-- Databases created before the outbox moved here have the table already. The planner's allowed event ids of 36
-- characters, unique: the executor's are longer (step id, attempt, state) and repeat when it announces a finished
-- step again, so the one definition is the executor's. Widening a varchar does not rewrite the table.
alter table outbox_event drop constraint if exists outbox_event_event_id_key;
alter table outbox_event alter column event_id type varchar(200);

-- A row Kafka refuses for good (too large for the topic, an invalid record: io.stepwise.outbox.RefusedForGood) is
-- parked by the relay instead of being sent again ahead of every row after it: parked_at and park_reason say when and
-- why. A parked row is never sent nor deleted by the retention; clearing both columns after fixing the cause sends it
-- again. The relay reads "sent_at is null and parked_at is null", which outbox_unsent_idx still serves.
alter table outbox_event add column if not exists parked_at timestamptz;
alter table outbox_event add column if not exists park_reason text;
