package io.stepwise.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers shared by the simulator's routes. */
public final class Http {

    /** The caller's step id, recorded with every effect. */
    public static final String STEP_ID_HEADER = "X-Stepwise-Step-Id";

    /** For the admin API's records: ISO-8601 instants. */
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Http() {
    }

    public static String stepId(RoutingContext ctx) {
        return ctx.request().getHeader(STEP_ID_HEADER);
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(encode(body));
    }

    public static String encode(Object body) {
        if (body instanceof JsonObject o) {
            return o.encode();
        }
        if (body instanceof JsonArray a) {
            return a.encode();
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + body.getClass(), e);
        }
    }

    public static void empty(RoutingContext ctx, int status) {
        ctx.response().setStatusCode(status).end();
    }

    /** Base URL of the server as the caller reached it, e.g. {@code http://localhost:8090}. */
    public static String origin(RoutingContext ctx) {
        String host = ctx.request().authority() != null ? ctx.request().authority().toString() : "localhost";
        return ctx.request().scheme() + "://" + host;
    }
}
