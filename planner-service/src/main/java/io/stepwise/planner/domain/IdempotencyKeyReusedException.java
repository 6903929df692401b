package io.stepwise.planner.domain;

/** An idempotency key sent again with a request other than the one it first came with. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String message) {
        super(message, null, false, false);
    }
}
