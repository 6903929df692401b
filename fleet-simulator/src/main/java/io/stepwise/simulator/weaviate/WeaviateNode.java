package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.core.Version;

import java.time.Instant;

/** One Weaviate pod. Its readiness and Raft catch-up are moments in time, not threads. */
final class WeaviateNode {

    final String name;
    final int ordinal;
    Version version;
    /** False while the StatefulSet is deleted: the pod does not exist. */
    boolean podPresent = true;
    /** The node is restarting until then; {@link Instant#MAX} means it never becomes ready. */
    Instant downUntil;
    /** Its Raft log has caught up with the leader from then on. */
    Instant caughtUpAt;

    WeaviateNode(int ordinal, Version version) {
        this.name = "weaviate-" + ordinal;
        this.ordinal = ordinal;
        this.version = version;
    }

    boolean restarting(Instant now) {
        return downUntil != null && now.isBefore(downUntil);
    }

    boolean stuck() {
        return Instant.MAX.equals(downUntil);
    }

    boolean caughtUp(Instant now) {
        return caughtUpAt == null || !now.isBefore(caughtUpAt);
    }

    void restart(Version newVersion, Instant readyAt, Instant syncedAt) {
        version = newVersion;
        podPresent = true;
        downUntil = readyAt;
        caughtUpAt = syncedAt;
    }
}
