package io.stepwise.executor.handler;

/**
 * A step cannot succeed; the message says why in words a person can act on (what was expected, what
 * was seen). Thrown by handlers and helpers, turned into a failed {@link StepOutcome} by
 * {@link StepHandlers#execute}.
 */
public class StepFailedException extends RuntimeException {

    private final String observedVersion;
    private final String errorCode;

    public StepFailedException(String message) {
        this(message, null, null);
    }

    public StepFailedException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public StepFailedException(String message, String observedVersion, Throwable cause) {
        this(message, observedVersion, cause, null);
    }

    /** {@code errorCode}: for programs, what kind of failure ({@link io.stepwise.model.StepStatus} codes), or null. */
    public StepFailedException(String message, String observedVersion, Throwable cause, String errorCode) {
        super(message, cause);
        this.observedVersion = observedVersion;
        this.errorCode = errorCode;
    }

    public String observedVersion() {
        return observedVersion;
    }

    public String errorCode() {
        return errorCode;
    }
}
