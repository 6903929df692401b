package io.stepwise.executor.weaviate;

import static io.restassured.RestAssured.given;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.simulator.ledger.EffectType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Steps that must end in a clear failure, never a hang, and the checks that guard the cluster. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class WeaviateFailurePathsTest {

    @Inject
    StepHandlers handlers;

    private static StepOutcome timed(Duration limit, java.util.function.Supplier<StepOutcome> run) {
        long start = System.nanoTime();
        StepOutcome outcome = run.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the outcome: %s", outcome.message())
                .isLessThan(limit);
        return outcome;
    }

    @Test
    void syncCheckThatNeverConvergesFailsAtTheTimeoutSayingWhatItSaw() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("sync-stuck", "1.26.18", 3, "kubernetes"));
        simulator().injectFault(Fault.of("sync-stuck", FaultType.SYNC_NEVER_CONVERGES));
        StepRequested sync = TestClusters.of(cluster).step(StepKind.SYNC_CHECK, null,
                Map.of("expectedNodes", 3, "timeoutSeconds", 1));

        StepOutcome outcome = timed(Duration.ofSeconds(6), () -> handlers.execute(sync, new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("timed out after 1s")
                .contains("3 of 3 expected nodes listed, synchronized=false")
                .contains("weaviate-0 HEALTHY appliedIndex=");
    }

    @Test
    void syncCheckFailsWhenANodeIsMissingFromTheCount() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("sync-count", "1.27.27", 3, "kubernetes"));
        StepRequested sync = TestClusters.of(cluster).step(StepKind.SYNC_CHECK, null,
                Map.of("expectedNodes", 5, "timeoutSeconds", 1));

        StepOutcome outcome = timed(Duration.ofSeconds(6), () -> handlers.execute(sync, new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("3 of 5 expected nodes listed");
    }

    @Test
    void syncCheckPassesAndIsSkippedBelow125LikeTheVendorScript() {
        var synced = simulator().createCluster(ClusterSpec.weaviate("sync-ok", "1.26.18", 3, "kubernetes"));
        var old = simulator().createCluster(ClusterSpec.weaviate("sync-old", "1.24.26", 3, "kubernetes"));

        StepOutcome ok = handlers.execute(TestClusters.of(synced).step(StepKind.SYNC_CHECK, null,
                Map.of("expectedNodes", 3)), new RecordingProgress());
        StepOutcome skipped = handlers.execute(TestClusters.of(old).step(StepKind.SYNC_CHECK, null,
                Map.of("expectedNodes", 3)), new RecordingProgress());

        assertThat(ok.succeeded()).as(ok.message()).isTrue();
        assertThat(skipped.succeeded()).as(skipped.message()).isTrue();
        assertThat(skipped.message()).startsWith("skipped").contains("1.24.26");
    }

    @Test
    void upgradeWithACrashedNodeFailsAtTheTimeoutNamingTheNode() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("crash", "1.26.18", 3, "docker"));
        simulator().injectFault(Fault.nodeCrash("crash", "weaviate-1"));
        StepRequested upgrade = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.27.27");

        StepOutcome outcome = timed(Duration.ofSeconds(15), () -> handlers.execute(upgrade, new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("weaviate-1 UNAVAILABLE");
    }

    @Test
    void verifyOfTheWrongVersionFailsNamingEveryNode() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("wrong-version", "1.26.18", 3, "kubernetes"));

        StepOutcome outcome = timed(Duration.ofSeconds(6), () -> handlers.execute(
                TestClusters.of(cluster).step(StepKind.VERIFY, "1.26.17"), new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("0 of 3 listed nodes HEALTHY at 1.26.17")
                .contains("weaviate-0 HEALTHY at 1.26.18").contains("weaviate-2 HEALTHY at 1.26.18");
    }

    @Test
    void anUpgradeThatWouldGoDownIsRefusedBeforeAnythingChanges() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("wrong-way", "1.27.27", 3, "kubernetes"));

        StepOutcome outcome = handlers.execute(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.26.18"),
                new RecordingProgress());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("refused").contains("1.27.27");
        assertThat(simulator().effects("wrong-way")).noneMatch(e -> e.type() == EffectType.IMAGE_CHANGED);
        assertThat(simulator().weaviate("wrong-way").allNodesOn("1.27.27")).isTrue();
    }

    @Test
    void anUpgradeOfAClusterThatDoesNotAnswerIsRefusedBeforeAnythingChanges() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("down-before", "1.26.18", 3, "kubernetes"));
        simulator().injectFault(Fault.apiError("down-before", 503));

        StepOutcome outcome = handlers.execute(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.27.27"),
                new RecordingProgress());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("does not answer /v1/nodes").contains("HTTP 503");
        assertThat(simulator().effects("down-before")).noneMatch(e -> e.type() == EffectType.IMAGE_CHANGED
                || e.type() == EffectType.VERSION_CHANGED);
    }

    @Test
    void serverErrorsAreRetriedThenReportedWithTheCall() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("api-500", "1.26.18", 1, "docker"));
        simulator().injectFault(Fault.apiError("api-500", 503));

        TestClusters steps = TestClusters.of(cluster);
        steps.step(StepKind.BACKUP); // the rollout's first step (not run here), before which the objects are counted
        // A later BACKUP (W6) counts nothing first: its own call is the one that fails.
        StepRequested backup = steps.step(StepKind.BACKUP, null, Map.of("backupId", "b1"));

        StepOutcome outcome = timed(Duration.ofSeconds(6), () -> handlers.execute(backup, new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("could not create backup b1")
                .contains("POST /v1/backups/s3 on cluster api-500 answered HTTP 503");
    }

    @Test
    void theRolloutsFirstBackupOfAClusterThatDoesNotAnswerFailsCountingWithNothingChanged() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("api-503-first", "1.26.18", 1, "docker"));
        simulator().injectFault(Fault.apiError("api-503-first", 503));

        StepOutcome outcome = timed(Duration.ofSeconds(6), () -> handlers.execute(
                TestClusters.of(cluster).step(StepKind.BACKUP, null, Map.of("backupId", "b1")), new RecordingProgress()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).isEqualTo("could not count what cluster api-503-first holds before the rollout"
                + " changes it: GET /v1/schema on cluster api-503-first answered HTTP 503: simulated failure (injected"
                + " fault); nothing was changed");
        assertThat(simulator().weaviate("api-503-first").backups()).isEmpty();
    }

    @Test
    void aBrokenClusterOpensOnlyItsOwnCircuitBreaker() {
        var broken = simulator().createCluster(ClusterSpec.weaviate("breaker-broken", "1.26.18", 3, "docker"));
        var healthy = simulator().createCluster(ClusterSpec.weaviate("breaker-healthy", "1.26.18", 3, "docker"));
        simulator().injectFault(Fault.apiError("breaker-broken", 500));

        StepOutcome failing = handlers.execute(TestClusters.of(broken).step(StepKind.VERIFY, "1.26.18"), new RecordingProgress());
        StepOutcome fine = handlers.execute(TestClusters.of(healthy).step(StepKind.VERIFY, "1.26.18"), new RecordingProgress());

        assertThat(failing.succeeded()).isFalse();
        // Polled for verify-timeout with far more than request-volume-threshold failures: its breaker opened.
        assertThat(failing.message()).contains("circuit breaker is open");
        assertThat(fine.succeeded()).as(fine.message()).isTrue();
    }

    @Test
    void metricsDoNotGrowWithTheNumberOfClustersCalled() {
        for (int i = 0; i < 3; i++) {
            var cluster = simulator().createCluster(ClusterSpec.weaviate("metrics-" + i, "1.26.18", 1, "docker"));
            StepOutcome verified = handlers.execute(TestClusters.of(cluster).step(StepKind.VERIFY, "1.26.18"),
                    new RecordingProgress());
            assertThat(verified.succeeded()).as(verified.message()).isTrue();
        }
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        // a series per cluster would be thousands of series (and their memory) for a fleet of thousands
        assertThat(metrics).as("no series names a cluster").doesNotContain("/clusters/");
    }

    @Test
    void bearerAuthUsesTheSecretNamedByTheReferenceAndNeverTheMessage() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("auth", "1.26.18", 3, "kubernetes")
                .withApiKey(SimulatorResource.API_KEY));

        StepOutcome withKey = handlers.execute(TestClusters.of(cluster).withCredentialsRef(SimulatorResource.API_KEY_REF)
                .step(StepKind.VERIFY, "1.26.18"), new RecordingProgress());
        StepOutcome withoutKey = handlers.execute(TestClusters.of(cluster).step(StepKind.VERIFY, "1.26.18"),
                new RecordingProgress());
        StepOutcome unknownRef = handlers.execute(TestClusters.of(cluster).withCredentialsRef("secret:empty-key")
                .step(StepKind.VERIFY, "1.26.18"), new RecordingProgress());

        assertThat(withKey.succeeded()).as(withKey.message()).isTrue();
        assertThat(withoutKey.succeeded()).isFalse();
        assertThat(withoutKey.message()).contains("HTTP 401");
        assertThat(unknownRef.succeeded()).isFalse();
        assertThat(unknownRef.message()).contains("secret:empty-key").contains("resolves to nothing");
        assertThat(withKey.message() + withoutKey.message() + unknownRef.message()).doesNotContain(SimulatorResource.API_KEY);
    }

    @Test
    void schemaDowngradeRunsOn125AndIsRefusedWhereTheEndpointDoesNotExist() {
        var on125 = simulator().createCluster(ClusterSpec.weaviate("schema-v1", "1.25.34", 3, "kubernetes"));
        var on135 = simulator().createCluster(ClusterSpec.weaviate("schema-v1-new", "1.35.23", 3, "kubernetes"));
        StepRequested step = TestClusters.of(on125).step(StepKind.SCHEMA_DOWNGRADE);

        StepOutcome ok = handlers.execute(step, new RecordingProgress());
        StepOutcome refused = handlers.execute(TestClusters.of(on135).step(StepKind.SCHEMA_DOWNGRADE), new RecordingProgress());

        assertThat(ok.succeeded()).as(ok.message()).isTrue();
        assertThat(simulator().effects("schema-v1")).anyMatch(e -> e.type() == EffectType.SCHEMA_V1
                && step.stepId().equals(e.stepId()));
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.message()).contains("1.25 to 1.34").contains("1.35.23");
    }

    @Test
    void downgradeBelow125AfterSchemaV1RecreatesTheStatefulSetWithoutViolations() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("down-124", "1.25.34", 3, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);

        StepOutcome schema = handlers.execute(steps.step(StepKind.SCHEMA_DOWNGRADE), new RecordingProgress());
        StepOutcome down = handlers.execute(steps.step(StepKind.DOWNGRADE, "1.24.26"), new RecordingProgress());
        StepOutcome verify = handlers.execute(steps.step(StepKind.VERIFY, "1.24.26"), new RecordingProgress());

        assertThat(schema.succeeded()).as(schema.message()).isTrue();
        assertThat(down.succeeded()).as(down.message()).isTrue();
        assertThat(verify.succeeded()).as(verify.message()).isTrue();
        assertThat(simulator().violations("down-124")).isEmpty();
        assertThat(simulator().weaviate("down-124").dataCorrupted()).isFalse();
    }
}
