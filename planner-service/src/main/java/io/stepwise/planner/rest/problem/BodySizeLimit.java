package io.stepwise.planner.rest.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over {@code quarkus.http.limits.max-body-size} with a 413 problem
 * document, before reading a byte of it. (Vert.x would refuse it too, but with an empty body that names nothing.)
 */
@ApplicationScoped
public class BodySizeLimit {

    void install(@Observes Router router, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") String limitText)
            throws JsonProcessingException {
        long max = limit.asLongValue();
        byte[] problem = json.writeValueAsBytes(new Problem(ProblemTypes.forStatus(413), "Request too large", 413,
                "the body is larger than " + limitText + ": split the request (e.g. fewer inline clusters per preview,"
                        + " or register them and use a selector)", List.of()));
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String declared = ctx.request().getHeader("Content-Length");
            if (declared != null && isOver(declared, max)) {
                ctx.response().setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(Buffer.buffer(problem));
                return;
            }
            ctx.next();
        });
    }

    private static boolean isOver(String declared, long max) {
        try {
            return Long.parseLong(declared.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x answers a malformed Content-Length itself
        }
    }
}
