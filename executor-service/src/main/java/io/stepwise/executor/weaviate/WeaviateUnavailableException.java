package io.stepwise.executor.weaviate;

/** A call that could not reach Weaviate, or timed out, after the retries. */
public class WeaviateUnavailableException extends RuntimeException {
    public WeaviateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
