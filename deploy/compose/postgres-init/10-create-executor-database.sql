-- Runs once, on the first start of an empty data volume (the postgres image's /docker-entrypoint-initdb.d).
-- The image has already created the planner's database (POSTGRES_DB=stepwise) and its user; the executor
-- keeps its ledger and outbox in a database of its own so that each service can be moved or restored alone.
CREATE DATABASE stepwise_executor OWNER stepwise;
