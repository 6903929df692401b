package io.stepwise.planner.rest.problem;

import io.stepwise.planner.rest.problem.Problem.FieldError;
import java.util.List;

/** Ends a request with a problem document; thrown by services on input they refuse. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException badRequest(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: " + String.join("; ",
                        errors.stream().limit(5).map(e -> e.field() + ": " + e.message()).toList())
                        + (errors.size() > 5 ? "; ..." : "");
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException badRequest(String field, String message) {
        return badRequest(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, List.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    public Problem toProblem() {
        return new Problem(ProblemTypes.forStatus(status), title, status, getMessage(), errors);
    }
}
