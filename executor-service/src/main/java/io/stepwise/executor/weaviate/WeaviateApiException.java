package io.stepwise.executor.weaviate;

/** Weaviate answered with an error status; {@code detail} is the message of its ErrorResponse (or the raw body). */
public class WeaviateApiException extends RuntimeException {

    private final int status;
    private final String detail;

    public WeaviateApiException(int status, String detail) {
        this(null, status, detail);
    }

    /** {@code operation} ("GET /v1/nodes on cluster a") leads the message so a failure says which call it was. */
    public WeaviateApiException(String operation, int status, String detail) {
        super((operation == null ? "" : operation + " answered ") + "HTTP " + status
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.detail = detail;
    }

    WeaviateApiException withOperation(String operation) {
        WeaviateApiException e = new WeaviateApiException(operation, status, detail);
        e.setStackTrace(getStackTrace());
        return e;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** Worth another try: the server or the network had a bad moment, not a refusal of the request. */
    public boolean isTransient() {
        return status >= 500 || status == 408 || status == 429;
    }
}
