package io.stepwise.executor.handler;

/**
 * The attempt was asked to stop ({@link StepControl}) and stopped at a safe point, before any further change to the
 * cluster. The message names the reason and, once {@link Poll} added it, what the attempt was waiting for.
 */
public class StepStoppedException extends StepFailedException {

    private final String reason;

    public StepStoppedException(String reason, String errorCode) {
        this(reason, reason + "; nothing further was done", errorCode);
    }

    private StepStoppedException(String reason, String message, String errorCode) {
        super(message, null, null, errorCode);
        this.reason = reason;
    }

    /** The same stop, saying where the attempt was when it stopped. */
    public StepStoppedException at(String where) {
        return new StepStoppedException(reason, reason + "; stopped " + where + "; nothing further was done",
                errorCode());
    }
}
