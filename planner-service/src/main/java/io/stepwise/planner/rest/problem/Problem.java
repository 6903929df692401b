package io.stepwise.planner.rest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): what went wrong, in words a person can act
 * on, with {@code errors} naming each bad field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
                      List<BusyCluster> busyClusters) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, List.of());
    }

    /** A cluster a rollout selected that another unfinished rollout holds. */
    public record BusyCluster(String clusterId, String rolloutId) {
    }

    /** One bad field: its path in the request ({@code clusters[3].nodes}, {@code selector}) and what is wrong. */
    public record FieldError(String field, String message) {
    }
}
