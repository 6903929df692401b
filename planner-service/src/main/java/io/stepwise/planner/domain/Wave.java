package io.stepwise.planner.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * One wave of a rollout as stored on it ({@code rollout.waves}, JSON, in order; clusters refer to it by number,
 * from 1). {@code pauseAfter}: once every cluster of this wave has ended, the rollout pauses until resumed.
 */
public record Wave(String name, boolean pauseAfter) {

    /** The single wave of a rollout that asked for none. */
    public static final List<Wave> ONE = List.of(new Wave("all", false));

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<Wave> read(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<Wave>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored waves cannot be read: " + json, e);
        }
    }

    public static String write(List<Wave> waves) {
        try {
            return JSON.writeValueAsString(waves);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("waves cannot be written", e);
        }
    }
}
