package io.stepwise.planner.rest.problem;

/** Problem {@code type} URIs: one per HTTP status, documented in the README's error section. */
final class ProblemTypes {

    private ProblemTypes() {
    }

    static String forStatus(int status) {
        return switch (status) {
            case 400 -> "https://stepwise.io/problems/invalid-request";
            case 401 -> "https://stepwise.io/problems/unauthorized";
            case 403 -> "https://stepwise.io/problems/forbidden";
            case 404 -> "https://stepwise.io/problems/not-found";
            case 409 -> "https://stepwise.io/problems/conflict";
            case 413 -> "https://stepwise.io/problems/request-too-large";
            case 415 -> "https://stepwise.io/problems/unsupported-media-type";
            case 422 -> "https://stepwise.io/problems/idempotency-key-reused";
            default -> "about:blank";
        };
    }
}
