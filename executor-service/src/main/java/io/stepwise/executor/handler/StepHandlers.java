package io.stepwise.executor.handler;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handlers by (product, kind), and the one entry point a step consumer calls. {@link #execute}
 * never throws: whatever goes wrong becomes a failed outcome with a message a person can act on.
 */
@ApplicationScoped
public class StepHandlers {

    private final Map<Product, Map<StepKind, StepHandler>> byProduct = new EnumMap<>(Product.class);

    public StepHandlers(@All List<StepHandler> handlers) {
        for (StepHandler handler : handlers) {
            StepHandler previous = byProduct
                    .computeIfAbsent(handler.product(), p -> new EnumMap<>(StepKind.class))
                    .put(handler.kind(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for " + handler.product().id() + " " + handler.kind()
                        + ": " + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    public Optional<StepHandler> find(Product product, StepKind kind) {
        return Optional.ofNullable(byProduct.getOrDefault(product, Map.of()).get(kind));
    }

    public StepOutcome execute(StepRequested step, ProgressReporter progress) {
        if (step.product() == null || step.kind() == null) {
            return StepOutcome.failed("step " + step.stepId() + " has no product or kind; nothing was done");
        }
        Optional<StepHandler> handler = find(step.product(), step.kind());
        if (handler.isEmpty()) {
            return StepOutcome.failed("the executor has no " + step.kind() + " handler for " + step.product().id()
                    + "; nothing was done");
        }
        Log.infof("step %s (%s %s %s) on cluster %s: starting", step.stepId(), step.product().id(), step.kind(),
                step.toVersion() == null ? "" : step.toVersion(), step.clusterId());
        try {
            StepOutcome outcome = handler.get().run(step, progress);
            Log.infof("step %s on cluster %s: %s: %s", step.stepId(), step.clusterId(), outcome.state(),
                    outcome.message());
            return outcome;
        } catch (StepFailedException e) {
            Log.warnf("step %s on cluster %s failed: %s", step.stepId(), step.clusterId(), e.getMessage());
            return StepOutcome.failed(e.getMessage(), e.observedVersion(), e.errorCode());
        } catch (RuntimeException e) {
            // Unexpected: keep the stack trace in the log, give the person the gist.
            Log.errorf(e, "step %s on cluster %s failed unexpectedly", step.stepId(), step.clusterId());
            return StepOutcome.failed(step.kind() + " failed: " + describe(e));
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
