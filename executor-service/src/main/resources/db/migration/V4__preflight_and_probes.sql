-- The attempt's pre-flight check passed (or it asked for none) before it changed anything: an attempt resumed after
-- a crash, which may have changed the cluster since, is not checked again.
alter table step_execution add column checked_at timestamptz;

-- Probes (io.stepwise.cluster.probe-requested) received and not yet answered, so that one whose executor died is
-- answered by another; answered ones are kept a day, then deleted. A probe answered twice is harmless.
create table probe_request (
    probe_id    varchar(200) primary key,
    cluster_id  varchar(63)  not null,
    request     text         not null,
    owner       varchar(200),
    lease_until timestamptz,
    received_at timestamptz  not null,
    answered_at timestamptz
);
create index probe_request_unanswered_idx on probe_request (received_at) where answered_at is null;
