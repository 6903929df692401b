-- Each unfinished attempt belongs to the executor instance that runs it or holds it queued, until its lease ends.
-- The owner renews its leases while it lives; an attempt whose lease expired (or that has no owner, as rows
-- written before owners existed) is taken over by another instance.
alter table step_execution add column owner varchar(200);
alter table step_execution add column lease_until timestamptz;
create index step_execution_owner_idx on step_execution (owner) where state in ('PENDING', 'RUNNING');

-- At most one attempt acts on a cluster at a time, across every executor sharing this database: an attempt takes
-- its cluster's guard before it starts (or resumes), renews it with its lease and releases it when it ends. A
-- guard whose lease expired may be taken by another attempt.
create table cluster_guard (
    cluster_id  varchar(63)  primary key,
    step_id     varchar(120) not null,
    attempt     integer      not null,
    owner       varchar(200) not null,
    lease_until timestamptz  not null
);
create index cluster_guard_owner_idx on cluster_guard (owner);
