package io.stepwise.simulator;

import java.time.Clock;
import java.time.Duration;

/**
 * How fast simulated clusters move. Tests set the durations to zero or a few milliseconds.
 *
 * @param backupDuration     {@link Durations#backup} of every cluster created without durations of its own
 * @param nodeRestartDuration {@link Durations#nodeRestart} of those clusters
 * @param syncDuration       {@link Durations#sync} of those clusters
 * @param tickInterval       how often Kubernetes StatefulSet status is written back while a roll runs
 * @param namespace          default Kubernetes namespace of a cluster's StatefulSet
 * @param kubernetes         whether to start the Kubernetes API mock (lazily, on the first cluster that needs it)
 * @param seed               seed for random faults
 * @param clock              the simulator's clock
 */
public record SimulatorSettings(
        Duration backupDuration,
        Duration nodeRestartDuration,
        Duration syncDuration,
        Duration tickInterval,
        String namespace,
        boolean kubernetes,
        long seed,
        Clock clock) {

    /** The durations every cluster created without its own takes. */
    public Durations durations() {
        return new Durations(backupDuration, nodeRestartDuration, syncDuration);
    }

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofMillis(50), "weaviate", true, 42L, Clock.systemUTC());
    }

    /** Everything instantaneous: backups finish at once, nodes restart at once. */
    public static SimulatorSettings instant() {
        return defaults().withBackupDuration(Duration.ZERO).withNodeRestartDuration(Duration.ZERO)
                .withSyncDuration(Duration.ZERO).withTickInterval(Duration.ofMillis(10));
    }

    public SimulatorSettings withBackupDuration(Duration d) {
        return new SimulatorSettings(d, nodeRestartDuration, syncDuration, tickInterval, namespace, kubernetes, seed, clock);
    }

    public SimulatorSettings withNodeRestartDuration(Duration d) {
        return new SimulatorSettings(backupDuration, d, syncDuration, tickInterval, namespace, kubernetes, seed, clock);
    }

    public SimulatorSettings withSyncDuration(Duration d) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, d, tickInterval, namespace, kubernetes, seed, clock);
    }

    public SimulatorSettings withTickInterval(Duration d) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, syncDuration, d, namespace, kubernetes, seed, clock);
    }

    public SimulatorSettings withNamespace(String ns) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, syncDuration, tickInterval, ns, kubernetes, seed, clock);
    }

    public SimulatorSettings withKubernetes(boolean enabled) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, syncDuration, tickInterval, namespace, enabled, seed, clock);
    }

    public SimulatorSettings withSeed(long s) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, syncDuration, tickInterval, namespace, kubernetes, s, clock);
    }

    public SimulatorSettings withClock(Clock c) {
        return new SimulatorSettings(backupDuration, nodeRestartDuration, syncDuration, tickInterval, namespace, kubernetes, seed, c);
    }
}
