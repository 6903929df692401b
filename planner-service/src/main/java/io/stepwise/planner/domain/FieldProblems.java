package io.stepwise.planner.domain;

import io.stepwise.planner.domain.InvalidInputException.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request before refusing it, so that a person fixes them all in one go. */
public final class FieldProblems {

    private final List<FieldProblem> problems;
    /** Put before every field named through this instance, e.g. {@code clusters[3].}. */
    private final String prefix;

    public FieldProblems() {
        this(new ArrayList<>(), "");
    }

    private FieldProblems(List<FieldProblem> problems, String prefix) {
        this.problems = problems;
        this.prefix = prefix;
    }

    public FieldProblems add(String field, String message) {
        problems.add(new FieldProblem(prefix + field, message));
        return this;
    }

    /** The problems of one part of the request, collected with the rest: its fields are named {@code part.field}. */
    public FieldProblems under(String part) {
        return new FieldProblems(problems, prefix + part + ".");
    }

    /** How many problems were found so far, in the whole request. */
    public int count() {
        return problems.size();
    }

    /** Refuses the request, naming every bad field, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }
}
