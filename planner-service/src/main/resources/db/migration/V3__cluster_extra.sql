-- Product- or deployment-specific connection settings passed to the executor as they are
-- (e.g. backupBackend, env.NAME for command environments). Never secrets: those are credentialsRef.
alter table cluster add column extra jsonb not null default '{}'::jsonb;
