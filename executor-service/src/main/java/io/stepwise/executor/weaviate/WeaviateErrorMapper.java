package io.stepwise.executor.weaviate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.executor.config.Redactor;
import io.stepwise.executor.weaviate.WeaviateDtos.ErrorMessage;
import io.stepwise.executor.weaviate.WeaviateDtos.ErrorResponse;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Maps every error status, and every redirect (which is never followed), to {@link WeaviateApiException} carrying a
 * short excerpt of Weaviate's own message: whatever an endpoint answers reaches step messages, events and the audit,
 * so it is redacted, stripped of control characters and cut to {@link Redactor#MAX_EXCERPT} characters.
 */
class WeaviateErrorMapper implements ResponseExceptionMapper<WeaviateApiException> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final Redactor redactor;

    WeaviateErrorMapper(Redactor redactor) {
        this.redactor = redactor;
    }

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 300;
    }

    @Override
    public WeaviateApiException toThrowable(Response response) {
        if (response.getStatus() < 400) {
            return new WeaviateApiException(response.getStatus(), "a redirect" + target(response)
                    + ", which the executor does not follow; register the endpoint it leads to instead");
        }
        String body = "";
        try {
            if (response.hasEntity()) {
                // only the start of it is ever shown: a huge body must not cost the executor its memory
                try (InputStream in = response.readEntity(InputStream.class)) {
                    body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                }
            }
        } catch (RuntimeException | IOException e) {
            body = "";
        }
        return new WeaviateApiException(response.getStatus(), redactor.excerpt(detail(body)));
    }

    private String target(Response response) {
        URI location = response.getLocation();
        return location == null || location.getHost() == null ? "" : " to host " + redactor.excerpt(location.getHost());
    }

    /** Weaviate's ErrorResponse messages, or the raw body (excerpted by the caller). */
    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            ErrorResponse error = JSON.readValue(body, ErrorResponse.class);
            if (error.error() != null && !error.error().isEmpty()) {
                return error.error().stream().map(ErrorMessage::message).filter(Objects::nonNull)
                        .collect(Collectors.joining("; "));
            }
        } catch (Exception e) {
            // Not Weaviate's ErrorResponse: fall through to the raw body.
        }
        return body;
    }
}
