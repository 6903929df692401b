package io.stepwise.executor.handler;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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
    private final Map<Product, ClusterReader> readers = new EnumMap<>(Product.class);
    private final List<ConnectionCheck> checks;
    private final List<BeforeStep> beforeSteps;
    private final Redaction redaction;

    public StepHandlers(@All List<StepHandler> handlers, @All List<ClusterReader> readers,
                        @All List<ConnectionCheck> checks, @All List<BeforeStep> beforeSteps, Redaction redaction) {
        this.checks = List.copyOf(checks);
        this.beforeSteps = List.copyOf(beforeSteps);
        this.redaction = redaction;
        readers.forEach(reader -> this.readers.put(reader.product(), reader));
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
            checkConnection(step);
            for (BeforeStep before : beforeSteps) {
                before.before(step, progress);
            }
            StepOutcome outcome = handler.get().run(step, progress);
            Log.infof("step %s on cluster %s: %s: %s", step.stepId(), step.clusterId(), outcome.state(),
                    redaction.redact(outcome.message()));
            return outcome;
        } catch (StepFailedException e) {
            Log.warnf("step %s on cluster %s failed: %s", step.stepId(), step.clusterId(), redaction.redact(e.getMessage()));
            return StepOutcome.failed(e.getMessage(), e.observedVersion(), e.errorCode());
        } catch (RuntimeException e) {
            // Unexpected: keep the stack trace in the log, give the person the gist.
            Log.errorf(e, "step %s on cluster %s failed unexpectedly", step.stepId(), step.clusterId());
            return StepOutcome.failed(step.kind() + " failed: " + describe(e));
        }
    }

    /**
     * The step's pre-flight check, before its attempt first changes anything: every node must run one of the expected
     * versions, and the cluster have the expected node count when one is given. Answers a failure (FAILED,
     * {@link StepStatus#PRECONDITION_FAILED}, naming what was expected and what was seen) or empty when it passed or
     * the step asks for none. Reads only; never throws.
     */
    public Optional<StepOutcome> preflight(StepRequested step) {
        StepRequested.Preflight expected = step.preflight();
        if (expected == null) {
            return Optional.empty();
        }
        String wanted = expected(expected, step.product());
        try {
            checkConnection(step);
        } catch (StepFailedException e) {
            // Not a precondition of the cluster: the executor refuses to reach it as registered.
            return Optional.of(StepOutcome.failed(e.getMessage()));
        }
        ClusterFacts facts;
        try {
            facts = read(step);
        } catch (RuntimeException e) {
            return Optional.of(StepOutcome.failed("pre-flight check of cluster " + step.clusterId() + ": " + wanted
                    + "; could not read the cluster: " + e.getMessage() + "; nothing was changed", null,
                    StepStatus.PRECONDITION_FAILED));
        }
        boolean versionsMatch = !facts.nodes().isEmpty()
                && facts.nodes().stream().allMatch(n -> n.version() != null && expected.versions().contains(n.version()));
        boolean countMatches = expected.nodes() == null || !facts.nodeCountKnown()
                || facts.nodes().size() == expected.nodes();
        if (versionsMatch && countMatches) {
            Log.infof("step %s on cluster %s: pre-flight check passed (%s)", step.stepId(), step.clusterId(),
                    facts.describe());
            return Optional.empty();
        }
        String message = "pre-flight check of cluster " + step.clusterId() + " failed: " + wanted + "; found "
                + facts.describe() + "; nothing was changed";
        Log.warnf("step %s: %s", step.stepId(), message);
        return Optional.of(StepOutcome.failed(message, facts.commonVersion(), StepStatus.PRECONDITION_FAILED));
    }

    private static String expected(StepRequested.Preflight expected, Product product) {
        String versions = String.join(" or ", expected.versions());
        if (product == Product.PACHYDERM) {
            return "expected pachd on " + versions;
        }
        return expected.nodes() == null ? "expected every node on " + versions
                : "expected " + expected.nodes() + (expected.nodes() == 1 ? " node" : " nodes") + " on " + versions;
    }

    /** Reads a cluster's nodes and versions, changing nothing; a probe. Never throws: a failure is the result's error. */
    public ProbeResult probe(ProbeRequested probe) {
        StepRequested asStep = new StepRequested("probe-" + probe.probeId(), null, probe.clusterId(), 0, 0,
                probe.product(), StepKind.VERIFY, null, Map.of(), probe.cluster());
        try {
            checkConnection(asStep);
            ClusterFacts facts = read(asStep);
            return new ProbeResult(probe.probeId(), probe.clusterId(), facts.commonVersion(), facts.versions(),
                    facts.nodeCount(), null, Instant.now());
        } catch (RuntimeException e) {
            String error = e instanceof StepFailedException ? e.getMessage() : describe(e);
            Log.warnf("probe %s of cluster %s could not read it: %s", probe.probeId(), probe.clusterId(),
                    redaction.redact(error));
            return new ProbeResult(probe.probeId(), probe.clusterId(), null, List.of(), null, error, Instant.now());
        }
    }

    /** Every {@link ConnectionCheck}, before anything is sent or changed. */
    private void checkConnection(StepRequested step) {
        for (ConnectionCheck check : checks) {
            check.check(step);
        }
    }

    private ClusterFacts read(StepRequested step) {
        ClusterReader reader = step.product() == null ? null : readers.get(step.product());
        if (reader == null) {
            throw new StepFailedException("the executor cannot read " + (step.product() == null ? "a cluster without a"
                    + " product" : step.product().id() + " clusters"));
        }
        return reader.read(step);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
