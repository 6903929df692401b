package io.stepwise.planner.testing;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.ValidatableResponse;

/** Assertions on problem+json answers: the status, the field named, and no stack trace. */
public final class Problems {

    private Problems() {
    }

    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String field) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", not(equalTo(null)))
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("\tat ")))
                .body("errors.field", hasItem(field));
    }
}
