package io.stepwise.executor.pachyderm;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.executor.health.ContentsCheck;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import io.stepwise.executor.handler.Poll;

/**
 * VERIFY: {@code pachctl version} shows pachctl == pachd == toVersion, within {@code version-timeout}; then no repo has
 * fewer commits than before the rollout changed the cluster.
 * With a versioned client configured, the client is the target by construction and pachd is what is checked.
 */
@ApplicationScoped
public class PachydermVerifyHandler implements StepHandler {

    private final Pachctl pachctl;
    private final PachydermContents contents;
    private final ContentsCheck contentsCheck;

    public PachydermVerifyHandler(Pachctl pachctl, PachydermContents contents, ContentsCheck contentsCheck) {
        this.pachctl = pachctl;
        this.contents = contents;
        this.contentsCheck = contentsCheck;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String version = StepParams.requiredVersion(step);
        Pachctl.Client client = pachctl.config().versionedCommand().isPresent() ? Pachctl.Client.forVersion(version)
                : Pachctl.Client.CURRENT;
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
        Pachctl.Versions seen = Poll.<Pachctl.Versions>waitingFor("pachctl and pachd of cluster " + step.clusterId()
                        + " both at " + version)
                .every(pachctl.config().pollInterval())
                .atMost(pachctl.config().versionTimeout())
                .describedBy(Pachctl.Versions::describe)
                .onEach(v -> {
                    if (!v.describe().equals(last.getAndSet(v.describe()))) {
                        progress.report(v.describe(), v.pachd().orElse(null));
                    }
                })
                .until(() -> pachctl.version(step, client),
                        v -> version.equals(v.pachctl()) && v.pachd().filter(version::equals).isPresent());
        return StepOutcome.succeeded("verified: " + seen.describe() + "; "
                + contentsCheck.verify(step, contents.read(step)), version);
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.VERIFY;
    }
}
