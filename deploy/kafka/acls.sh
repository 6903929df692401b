#!/usr/bin/env bash
# The ACLs Stepwise needs on a Kafka cluster with an authorizer (deploy/README.md, "Kafka with authentication and
# ACLs"): each service may write only the topics it publishes to and read only what it consumes. KafkaAclIT
# (system-tests) grants exactly the `acl` lines below to the services it runs, so a rollout passing there shows they
# are enough.
#
#   BOOTSTRAP=kafka-1:9093 COMMAND_CONFIG=admin.properties \
#   PLANNER=User:stepwise-planner EXECUTOR=User:stepwise-executor ./acls.sh
#
# COMMAND_CONFIG: the client settings (security.protocol, sasl.*, ssl.*) of a principal allowed to alter ACLs.
# PLANNER / EXECUTOR: the principals the services log in as. KAFKA_ACLS: the kafka-acls.sh to run, if not on PATH.
# The group names are the services' defaults (mp.messaging.incoming.*.group.id). Adding an ACL that exists changes
# nothing, so the script may be run again. Read and Write imply Describe; Describe alone is named where needed.
set -euo pipefail
: "${BOOTSTRAP:?}" "${COMMAND_CONFIG:?}" "${PLANNER:?}" "${EXECUTOR:?}"

acl() {
  "${KAFKA_ACLS:-kafka-acls.sh}" --bootstrap-server "$BOOTSTRAP" --command-config "$COMMAND_CONFIG" --add "$@"
}

# The planner sends step requests (its outbox), lifecycle events and the dead letters of unreadable statuses, reads
# step statuses and its own lifecycle events (for webhooks, in a group of their own), and creates the six topics at
# start-up when missing: drop the Create operations if you create the topics yourself (it then only sees, with
# Describe, that they exist).
acl --allow-principal "$PLANNER" --operation Write --operation Create --topic stepwise.steps
acl --allow-principal "$PLANNER" --operation Write --operation Read --operation Create --topic stepwise.rollouts
acl --allow-principal "$PLANNER" --operation Write --operation Create --topic stepwise.rollouts.dlq
acl --allow-principal "$PLANNER" --operation Read --operation Create --topic stepwise.step-status
acl --allow-principal "$PLANNER" --operation Write --operation Create --topic stepwise.step-status.dlq
acl --allow-principal "$PLANNER" --operation Describe --operation Create --topic stepwise.steps.dlq
acl --allow-principal "$PLANNER" --operation Read --group stepwise-planner
acl --allow-principal "$PLANNER" --operation Read --group stepwise-planner-webhooks

# The executor reads step requests, sends step statuses (its outbox) and the dead letters of unreadable requests.
acl --allow-principal "$EXECUTOR" --operation Read --topic stepwise.steps
acl --allow-principal "$EXECUTOR" --operation Write --topic stepwise.step-status
acl --allow-principal "$EXECUTOR" --operation Write --topic stepwise.steps.dlq
acl --allow-principal "$EXECUTOR" --operation Read --group stepwise-executor
