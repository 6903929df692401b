package io.stepwise.simulator.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the simulator when it runs as the Quarkus application. */
@ConfigMapping(prefix = "simulator")
public interface SimulatorConfig {

    /** STARTED → SUCCESS time of a backup or restore. */
    @WithDefault("2s")
    Duration backupDuration();

    /** How long one node is unready while it restarts on a new version. */
    @WithDefault("1s")
    Duration nodeRestartDuration();

    /** How long a restarted node's Raft log takes to catch up. */
    @WithDefault("1s")
    Duration syncDuration();

    /** How often StatefulSet status is written back while a roll runs. */
    @WithDefault("100ms")
    Duration tickInterval();

    /** Default namespace of simulated StatefulSets. */
    @WithDefault("weaviate")
    String namespace();

    /** Seed for random faults. */
    @WithDefault("42")
    long seed();
}
