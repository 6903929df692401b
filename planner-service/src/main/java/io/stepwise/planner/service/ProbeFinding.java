package io.stepwise.planner.service;

import io.stepwise.model.ProbeResult;
import io.stepwise.model.RefusalCode;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.rules.Refusal;
import java.util.Objects;

/**
 * What a probe says about a registered cluster: the version and node count to plan from, or why the cluster cannot
 * be planned (it could not be read, its nodes disagree, no answer came); and whether the inventory was wrong.
 */
record ProbeFinding(String clusterId, String registeredVersion, Integer registeredNodes, String version,
                    Integer nodes, String problem) {

    /** {@code result} null: the probe was not answered. */
    static ProbeFinding of(Cluster registered, ProbeResult result) {
        String problem = result == null ? "the executor did not answer the probe in time"
                : result.error() != null ? "its version could not be read: " + result.error()
                : result.version() == null ? "its nodes run different versions: " + result.nodeVersions()
                : null;
        Integer nodes = result == null || result.nodes() == null ? registered.nodes : result.nodes();
        return new ProbeFinding(registered.id, registered.version, registered.nodes,
                result == null ? null : result.version(), nodes, problem);
    }

    boolean differs() {
        return problem == null && (!version.equals(registeredVersion) || !Objects.equals(nodes, registeredNodes));
    }

    Refusal refusal() {
        return new Refusal(clusterId, RefusalCode.PRECONDITION_FAILED, "not planned: " + problem);
    }

    /** "1.23.5 on 3 node(s) (registered: 1.24.10 on 3)" */
    String describe() {
        return version + " on " + nodes + " node(s) (registered: " + registeredVersion + " on " + registeredNodes + ")";
    }
}
