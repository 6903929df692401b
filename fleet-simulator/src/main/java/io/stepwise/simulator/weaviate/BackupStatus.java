package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.core.Version;

/**
 * Backup and restore status values; which of them a version knows follows its OpenAPI spec (see
 * {@code fleet-simulator/src/test/resources/weaviate-openapi-*.json}: no FINALIZING at 1.25.0).
 */
public enum BackupStatus {
    STARTED, TRANSFERRING, TRANSFERRED, FINALIZING, SUCCESS, FAILED, CANCELLING, CANCELED;

    public boolean terminal() {
        return this == SUCCESS || this == FAILED || this == CANCELED;
    }

    /** The value a server of {@code version} shows for this state (older servers lack FINALIZING). */
    public String shownBy(Version version) {
        if (this == FINALIZING && version.below("1.36.0")) {
            return TRANSFERRED.name();
        }
        return name();
    }
}
