package io.stepwise.planner.rules;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;

/**
 * What the planner knows of one cluster: enough to plan it, nothing about how to reach it.
 *
 * @param product          null when the caller did not say (then the request's product is assumed)
 * @param version          the current version as reported or registered; null when unknown
 * @param nodes            node count; null when unknown
 * @param postgresVersion  Pachyderm 2.x metadata store's Postgres version, when known
 */
public record ClusterFacts(
        String id,
        Product product,
        String version,
        Integer nodes,
        DeploymentKind deployment,
        String postgresVersion) {
}
