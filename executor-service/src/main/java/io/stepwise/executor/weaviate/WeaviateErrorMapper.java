package io.stepwise.executor.weaviate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.executor.weaviate.WeaviateDtos.ErrorMessage;
import io.stepwise.executor.weaviate.WeaviateDtos.ErrorResponse;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Maps every error status to {@link WeaviateApiException} carrying Weaviate's own message. */
class WeaviateErrorMapper implements ResponseExceptionMapper<WeaviateApiException> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 500;

    @Override
    public WeaviateApiException toThrowable(Response response) {
        String body = "";
        try {
            if (response.hasEntity()) {
                body = response.readEntity(String.class);
            }
        } catch (RuntimeException e) {
            body = "";
        }
        return new WeaviateApiException(response.getStatus(), detail(body));
    }

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
        return body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) + "…" : body;
    }
}
