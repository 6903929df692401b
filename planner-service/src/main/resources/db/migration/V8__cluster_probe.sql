-- What the executor found on a cluster when asked (a probe): a rollout plans from it, a preview can too.
-- probe_id is "<rollout id>:<cluster id>" for a rollout's probes.
create table cluster_probe (
    probe_id      varchar(200) primary key,
    cluster_id    varchar(63)  not null,
    version       varchar(64),
    node_versions text,
    nodes         integer,
    error         text,
    probed_at     timestamptz  not null
);
