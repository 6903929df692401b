package io.stepwise.executor.handler;

import io.stepwise.model.StepRequested;
import java.util.Optional;

/** Typed reads of {@link StepRequested#params()}, which arrive as JSON (numbers may be strings and vice versa). */
public final class StepParams {

    private StepParams() {
    }

    public static Optional<String> string(StepRequested step, String name) {
        Object value = step.params().get(name);
        if (value == null || value.toString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.toString().trim());
    }

    public static String requiredString(StepRequested step, String name) {
        return string(step, name).orElseThrow(() -> new StepFailedException(
                step.kind() + " step " + step.stepId() + " lacks the parameter '" + name + "'; nothing was done"));
    }

    public static Optional<Integer> integer(StepRequested step, String name) {
        return string(step, name).map(v -> {
            try {
                return (int) Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new StepFailedException("parameter '" + name + "' of step " + step.stepId()
                        + " must be a number, got '" + v + "'");
            }
        });
    }

    public static Optional<Boolean> bool(StepRequested step, String name) {
        return string(step, name).map(Boolean::parseBoolean);
    }

    public static String requiredVersion(StepRequested step) {
        if (step.toVersion() == null || step.toVersion().isBlank()) {
            throw new StepFailedException(step.kind() + " step " + step.stepId() + " has no toVersion; nothing was done");
        }
        return step.toVersion().trim();
    }
}
