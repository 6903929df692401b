-- Changes to the inventory and the catalogs: who, when, and what changed, hash-chained per subject (a cluster id,
-- a product), like a rollout's audit trail.
create table change_audit (
    kind      varchar(16)  not null,
    subject   varchar(200) not null,
    seq       integer      not null,
    at        timestamptz  not null,
    actor     varchar(300) not null,
    type      varchar(64)  not null,
    details   text         not null,
    prev_hash varchar(64)  not null,
    hash      varchar(64)  not null,
    primary key (kind, subject, seq)
);
-- The end of each chain, so that removing its last entries is detected too; its row lock orders the chain.
create table change_audit_head (
    kind    varchar(16)  not null,
    subject varchar(200) not null,
    count   integer      not null,
    head    varchar(64)  not null,
    primary key (kind, subject)
);
