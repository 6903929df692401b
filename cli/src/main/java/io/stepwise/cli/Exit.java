package io.stepwise.cli;

/** The exit codes a script can rely on; the README's "Command line" section lists them too. */
final class Exit {

    /** Done; for {@code --wait} and {@code watch}: the rollout ended SUCCEEDED. */
    static final int OK = 0;
    /** The rollout ended FAILED or CANCELLED: some of its clusters failed or were cancelled. */
    static final int CLUSTERS_FAILED = 1;
    /** The command line is wrong (picocli's own code for invalid input). */
    static final int USAGE = 2;
    /** The planner refused the request: any 4xx (invalid, no or refused token, forbidden, unknown id, conflict). */
    static final int REFUSED = 3;
    /** The planner could not be reached, answered 5xx, or answered something that is not its API. */
    static final int UNAVAILABLE = 4;
    /** {@code audit --verify}: the audit trail's hash chain does not check out. */
    static final int AUDIT_BROKEN = 5;

    private Exit() {
    }
}
