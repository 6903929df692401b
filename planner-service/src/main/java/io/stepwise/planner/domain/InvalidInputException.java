package io.stepwise.planner.domain;

import java.util.List;

/** Input that breaks a rule: every bad field of the request, each with what is wrong. Nothing was changed. */
public class InvalidInputException extends RuntimeException {

    /** One bad field: its path in the request ({@code clusters[3].nodes}, {@code selector}) and what is wrong. */
    public record FieldProblem(String field, String message) {
    }

    private final List<FieldProblem> problems;

    public InvalidInputException(List<FieldProblem> problems) {
        super(describe(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    private static String describe(List<FieldProblem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).field() + ": " + problems.get(0).message();
        }
        return problems.size() + " fields are invalid: " + String.join("; ", problems.stream().limit(5)
                .map(p -> p.field() + ": " + p.message()).toList()) + (problems.size() > 5 ? "; ..." : "");
    }
}
