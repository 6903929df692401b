-- The cluster inventory. Labels live in jsonb so selectors (env=prod, region in (eu,us)) run in the database.
create table cluster (
    id               varchar(63)   primary key,
    product          varchar(32)   not null,
    version          varchar(64),
    nodes            integer       check (nodes is null or nodes >= 1),
    deployment       varchar(32)   not null,
    endpoint         varchar(2048),
    namespace        varchar(253),
    stateful_set     varchar(253),
    helm_release     varchar(253),
    credentials_ref  varchar(512),
    postgres_version varchar(32),
    labels           jsonb         not null default '{}'::jsonb,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null
);
create index cluster_product_idx on cluster (product, id);
create index cluster_labels_idx on cluster using gin (labels);

-- A product's version catalog as replaced at run time through PUT /api/v1/catalog/{product}.
create table catalog_override (
    product     varchar(32) primary key,
    document    text        not null,
    updated_at  timestamptz not null
);
