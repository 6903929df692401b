package io.stepwise.planner.rest.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Answers every console page shares. */
final class ConsoleResponses {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alert(Alert alert);
    }

    private ConsoleResponses() {
    }

    /** A refusal, shown in the page's alert area whatever part of the page asked. */
    static Response alert(Alert alert) {
        return Response.status(alert.status()).type(MediaType.TEXT_HTML_TYPE).entity(Templates.alert(alert))
                .header("HX-Retarget", "#alerts").header("HX-Reswap", "innerHTML").build();
    }
}
