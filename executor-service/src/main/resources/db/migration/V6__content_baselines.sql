-- What a cluster held before a rollout first changed it (Weaviate: each collection's object count), recorded before
-- the rollout's first step on the cluster runs, so that every VERIFY after a hop, on whichever executor, after any
-- restart, compares against the same numbers. The first record of a rollout and cluster stays; later ones are ignored.
create table content_baseline (
    rollout_id  varchar(36)  not null,
    cluster_id  varchar(63)  not null,
    step_id     varchar(120) not null,
    item_kind   varchar(32)  not null,
    unit        varchar(32)  not null,
    counts      jsonb        not null,
    not_counted jsonb        not null,
    recorded_at timestamptz  not null,
    primary key (rollout_id, cluster_id)
);
