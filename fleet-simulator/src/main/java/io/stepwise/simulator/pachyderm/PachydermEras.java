package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.core.Version;

/**
 * Which pachctl commands exist in which release, after Pachyderm's docs (e.g.
 * https://github.com/pachyderm/pachyderm/blob/v1.8.7/doc/managing_pachyderm/backup_restore_and_migrate.md).
 * JDK-only: the CLI uses it too.
 */
final class PachydermEras {

    private PachydermEras() {
    }

    /** extract/restore exist from 1.7 (backported to the 1.6.10 bridge release) to 1.13; 2.x has none. */
    static boolean hasExtract(Version v) {
        return v.major() == 1 && (v.minor() >= 7 && v.minor() <= 13 || (v.minor() == 6 && v.patch() >= 10));
    }

    /** pachctl deploy/undeploy belong to 1.x; 2.x is installed and upgraded with helm. */
    static boolean hasDeploy(Version v) {
        return v.major() == 1;
    }
}
