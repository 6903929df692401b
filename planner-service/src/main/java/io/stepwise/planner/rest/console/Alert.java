package io.stepwise.planner.rest.console;

import io.quarkus.security.ForbiddenException;
import io.stepwise.planner.catalog.InvalidCatalogException;
import io.stepwise.planner.domain.ClustersBusyException;
import io.stepwise.planner.domain.ConflictException;
import io.stepwise.planner.domain.FourEyesException;
import io.stepwise.planner.domain.IdempotencyKeyReusedException;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.InvalidSelectorException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.rest.problem.ViolationPaths;
import jakarta.validation.ConstraintViolationException;
import java.util.List;

/**
 * A refusal as a console page shows it: the same status and words the API's problem document would carry, one
 * line per bad field. Anything not a refusal is not an alert: it goes on to the API's 500 handling.
 */
public record Alert(int status, String title, List<String> lines) {

    static Alert of(RuntimeException e) {
        if (e instanceof InvalidInputException invalid) {
            return new Alert(400, "Invalid input", invalid.problems().stream()
                    .map(p -> p.field() + ": " + p.message()).toList());
        }
        if (e instanceof ConstraintViolationException violations) {
            return new Alert(400, "Invalid input", violations.getConstraintViolations().stream()
                    .map(v -> ViolationPaths.field(v) + ": " + v.getMessage()).sorted().toList());
        }
        if (e instanceof InvalidSelectorException selector) {
            return new Alert(400, "Invalid selector", List.of(selector.getMessage()));
        }
        if (e instanceof InvalidCatalogException) {
            return new Alert(400, "Invalid catalog", List.of(e.getMessage()));
        }
        if (e instanceof NotFoundException) {
            return new Alert(404, "Not found", List.of(e.getMessage()));
        }
        if (e instanceof ClustersBusyException) {
            return new Alert(409, "Clusters busy", List.of(e.getMessage()));
        }
        if (e instanceof ConflictException) {
            return new Alert(409, "Refused", List.of(e.getMessage()));
        }
        if (e instanceof IdempotencyKeyReusedException) {
            return new Alert(422, "Already sent", List.of(e.getMessage()));
        }
        if (e instanceof FourEyesException || e instanceof ForbiddenException) {
            return new Alert(403, "Forbidden", List.of(e.getMessage()));
        }
        throw e;
    }
}
