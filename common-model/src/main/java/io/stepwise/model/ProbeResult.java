package io.stepwise.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Data of {@code io.stepwise.cluster.probed} on {@link Topics#STEP_STATUS}: what the executor found on a cluster.
 * {@code version} is the version every node runs, null when they differ or could not be read ({@code error} says
 * why); {@code nodeVersions} has one entry per node.
 */
public record ProbeResult(String probeId, String clusterId, String version, List<String> nodeVersions,
                          Integer nodes, String error, Instant at) {

    public static final String TYPE = "io.stepwise.cluster.probed";

    public ProbeResult {
        nodeVersions = nodeVersions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(nodeVersions));
    }
}
