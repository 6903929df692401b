package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.Poll;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Statistics;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * SYNC_CHECK, the vendor's {@code wait_for_raft_sync}: {@code /v1/cluster/statistics} until it lists exactly
 * {@code expectedNodes} nodes, synchronized. As in the script, a cluster below 1.25 (no such endpoint) passes.
 */
@ApplicationScoped
public class WeaviateSyncCheckHandler implements StepHandler {

    private final WeaviateClient client;
    private final ExecutorConfig.Weaviate config;

    public WeaviateSyncCheckHandler(WeaviateClient client, ExecutorConfig config) {
        this.client = client;
        this.config = config.weaviate();
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.SYNC_CHECK;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        int expected = StepParams.integer(step, "expectedNodes")
                .orElseThrow(() -> new StepFailedException("SYNC_CHECK step " + step.stepId() + " lacks 'expectedNodes'"));
        Duration timeout = StepParams.integer(step, "timeoutSeconds").map(s -> Duration.ofSeconds(s))
                .orElse(config.syncTimeout());

        // The first answer also tells a cluster before 1.25 (404: no such endpoint) apart, and is the poll's first look.
        AtomicReference<ClusterStatisticsResponse> firstAnswer = new AtomicReference<>();
        try {
            firstAnswer.set(client.statistics(step));
        } catch (WeaviateApiException e) {
            if (e.status() == 404) {
                StepOutcome skipped = skipBefore125(step);
                progress.report(skipped.message());
                return skipped;
            }
            // any other answer: the poll asks again (and times out if it never answers)
        } catch (RuntimeException e) {
            // not answering: likewise
        }

        AtomicReference<String> last = new AtomicReference<>();
        Poll.<ClusterStatisticsResponse>waitingFor("cluster " + step.clusterId() + " to list " + expected
                        + " nodes with synchronized=true in /v1/cluster/statistics")
                .every(config.syncPollInterval())
                .atMost(timeout)
                .describedBy(s -> describe(s, expected))
                .onEach(s -> {
                    String line = describe(s, expected);
                    if (!line.equals(last.getAndSet(line))) {
                        progress.report(line);
                    }
                })
                .until(() -> Optional.ofNullable(firstAnswer.getAndSet(null)).orElseGet(() -> statistics(step)),
                        s -> s.statistics().size() == expected && s.isSynchronized());
        return StepOutcome.succeeded("Raft metadata synchronized on all " + expected + " nodes");
    }

    private ClusterStatisticsResponse statistics(StepRequested step) {
        try {
            return client.statistics(step);
        } catch (WeaviateApiException e) {
            if (e.isTransient()) {
                throw e;
            }
            throw new StepFailedException("GET /v1/cluster/statistics on cluster " + step.clusterId() + " answered "
                    + e.getMessage(), e);
        }
    }

    /** /v1/cluster/statistics answered 404: it exists from 1.25.0, and below that the vendor's script skips the check. */
    private StepOutcome skipBefore125(StepRequested step) {
        String version = client.meta(step).version();
        boolean old = WeaviateVersion.parse(version).map(v -> v.isBefore(1, 25)).orElse(false);
        if (!old) {
            throw new StepFailedException("GET /v1/cluster/statistics answered 404 on cluster " + step.clusterId()
                    + ", which reports version " + version + " (the endpoint exists from 1.25.0)", version, null);
        }
        return StepOutcome.succeeded("skipped: cluster is at " + version
                + ", before 1.25 there is no /v1/cluster/statistics and no Raft to synchronize", version);
    }

    static String describe(ClusterStatisticsResponse s, int expected) {
        return s.statistics().size() + " of " + expected + " expected nodes listed, synchronized=" + s.isSynchronized()
                + " [" + s.statistics().stream().map(WeaviateSyncCheckHandler::describe).collect(Collectors.joining(", ")) + "]";
    }

    private static String describe(Statistics n) {
        return n.name() + " " + n.status() + (n.raft() == null ? "" : " appliedIndex=" + n.raft().appliedIndex());
    }
}
