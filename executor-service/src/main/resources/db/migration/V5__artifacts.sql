-- The dumps Pachyderm BACKUP and EXTRACT wrote, per cluster and name: where, how big, their SHA-256, and which step
-- of which rollout wrote them, so that UNDEPLOY and RESTORE check that the dump of their migration is still there
-- and unchanged before they act.
create table artifact (
    cluster_id varchar(63)  not null,
    name       varchar(200) not null,
    rollout_id varchar(36)  not null,
    step_id    varchar(120) not null,
    seq        integer      not null,
    kind       varchar(32)  not null,
    path       text         not null,
    size_bytes bigint       not null,
    sha256     char(64)     not null,
    written_at timestamptz  not null,
    primary key (cluster_id, name)
);
create index artifact_migration_idx on artifact (cluster_id, rollout_id, seq);
