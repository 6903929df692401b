package io.stepwise.simulator;

import java.time.Duration;

/**
 * How long a simulated Weaviate cluster's operations take: the simulator's settings give every cluster these, and a
 * cluster created with its own ({@link ClusterSpec#durations}) takes those instead, so one simulator can hold
 * clusters that move at different speeds.
 *
 * @param backup      time a backup or restore takes from STARTED to SUCCESS (split over its phases)
 * @param nodeRestart time one node is unready while it restarts on a new version
 * @param sync        time after a node restarts until its Raft appliedIndex has caught up
 */
public record Durations(Duration backup, Duration nodeRestart, Duration sync) {

    public Durations {
        if (backup == null || nodeRestart == null || sync == null || backup.isNegative() || nodeRestart.isNegative()
                || sync.isNegative()) {
            throw new IllegalArgumentException("durations need backup, nodeRestart and sync, none negative");
        }
    }
}
