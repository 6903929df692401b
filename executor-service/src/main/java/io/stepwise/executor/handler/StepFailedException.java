package io.stepwise.executor.handler;

/**
 * A step cannot succeed; the message says why in words a person can act on (what was expected, what
 * was seen). Thrown by handlers and helpers, turned into a failed {@link StepOutcome} by
 * {@link StepHandlers#execute}.
 */
public class StepFailedException extends RuntimeException {

    private final String observedVersion;

    public StepFailedException(String message) {
        this(message, null, null);
    }

    public StepFailedException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public StepFailedException(String message, String observedVersion, Throwable cause) {
        super(message, cause);
        this.observedVersion = observedVersion;
    }

    public String observedVersion() {
        return observedVersion;
    }
}
