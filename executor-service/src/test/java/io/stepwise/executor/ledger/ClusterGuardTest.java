package io.stepwise.executor.ledger;

import static io.stepwise.executor.support.LedgerRows.execution;
import static io.stepwise.executor.support.LedgerRows.instant;
import static io.stepwise.executor.support.LedgerRows.query;
import static io.stepwise.executor.support.LedgerRows.state;
import static io.stepwise.executor.support.LedgerRows.update;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.config.InstanceId;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One operation per cluster across every executor sharing the ledger: an attempt takes its cluster's guard before
 * it starts and waits while another live attempt (of this executor or another one) holds it; an attempt whose
 * executor died is taken over once its lease expired, and not before.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class ClusterGuardTest {

    private static StepTopic topic;

    @Inject
    ObjectMapper json;

    @Inject
    InstanceId instance;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    @Test
    void aRetryThatArrivesWhileTheFirstAttemptRunsStartsOnlyOnceTheFirstEnded() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("guard-retry", "1.30.23", 1, "kubernetes"));
        simulator().injectFault(Fault.slowApi("guard-retry", 1500));
        StepRequested first = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        StepRequested retry = attempt(first, 2);

        topic.send(first.clusterId(), StepRequested.TYPE, first);
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(state(first.stepId(), 1)));
        topic.send(retry.clusterId(), StepRequested.TYPE, retry);
        await().atMost(Duration.ofSeconds(30)).until(() -> execution(retry.stepId(), 2) != null);
        assertThat(state(retry.stepId(), 2)).as("the retry waits while attempt 1 holds the cluster").isEqualTo("PENDING");
        assertThat(query("select step_id, attempt, owner from cluster_guard where cluster_id = ?", "guard-retry"))
                .singleElement().satisfies(guard -> assertThat(guard).containsEntry("attempt", 1)
                        .containsEntry("owner", instance.id()));

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(state(retry.stepId(), 2)));
        Map<String, Object> one = execution(first.stepId(), 1);
        Map<String, Object> two = execution(retry.stepId(), 2);
        assertThat(one.get("state")).isEqualTo("SUCCEEDED");
        assertThat(instant(two, "started_at")).as("attempt 2 started once attempt 1 had ended")
                .isAfterOrEqualTo(instant(one, "finished_at"));
        assertThat(query("select * from cluster_guard where cluster_id = ?", "guard-retry")).as("released at the end")
                .isEmpty();
        assertThat(simulator().violations("guard-retry")).isEmpty();
    }

    @Test
    void aClusterGuardedByAnotherLiveExecutorWaitsUntilThatGuardIsReleasedOrExpires() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("guard-foreign", "1.30.23", 1, "kubernetes"));
        StepRequested verify = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        Instant foreignLeaseEnds = Instant.now().plusSeconds(6);
        update("insert into cluster_guard (cluster_id, step_id, attempt, owner, lease_until) values (?, ?, 1, ?, ?)",
                "guard-foreign", "another-step", "another-executor", foreignLeaseEnds.atOffset(ZoneOffset.UTC));

        topic.send(verify.clusterId(), StepRequested.TYPE, verify);

        await().atMost(Duration.ofSeconds(30)).until(() -> execution(verify.stepId(), 1) != null);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> "PENDING".equals(state(verify.stepId(), 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(state(verify.stepId(), 1)));
        assertThat(instant(execution(verify.stepId(), 1), "started_at")).as("not before the other executor's lease ended")
                .isAfterOrEqualTo(foreignLeaseEnds.minusMillis(500));
    }

    @Test
    void anAttemptOfADeadExecutorIsTakenOverOnceItsLeaseExpiredAndOneOfALiveExecutorIsNot() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("guard-orphan", "1.30.23", 1, "kubernetes"));
        var other = simulator().createCluster(ClusterSpec.weaviate("guard-alive", "1.30.23", 1, "kubernetes"));
        StepRequested orphan = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        StepRequested held = TestClusters.of(other).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        OffsetDateTime deadLeaseEnds = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3);
        insertRunning(orphan, "dead-executor", deadLeaseEnds);
        insertRunning(held, "live-executor", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(30));
        try {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> "dead-executor".equals(execution(orphan.stepId(), 1).get("owner")));

            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(state(orphan.stepId(), 1)));
            Map<String, Object> done = execution(orphan.stepId(), 1);
            assertThat(done.get("owner")).as("taken over by this executor").isEqualTo(instance.id());
            assertThat(instant(done, "finished_at")).isAfter(deadLeaseEnds.toInstant());
            assertThat(execution(held.stepId(), 1)).as("a live executor's attempt is left to it")
                    .containsEntry("owner", "live-executor").containsEntry("state", "RUNNING");
            assertThat(query("select * from cluster_guard where cluster_id = ?", "guard-orphan")).isEmpty();
        } finally {
            update("delete from step_execution where step_id = ?", held.stepId());
            update("delete from cluster_guard where cluster_id = ?", "guard-alive");
        }
    }

    @Test
    void anOrphanedAttemptWithALaterAttemptRecordedIsEndedRatherThanResumed() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("guard-superseded", "1.29.11", 1, "kubernetes"));
        StepRequested first = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23");
        StepRequested second = attempt(first, 2);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // attempt 2 already ran to its end elsewhere; attempt 1's executor died long ago. Attempt 2 is recorded first:
        // the other way round, a sweep between the two inserts would find an orphan with no later attempt and resume it
        update("insert into step_execution (step_id, attempt, rollout_id, cluster_id, seq, kind, request, state,"
                        + " received_at, finished_at) values (?, 2, ?, ?, ?, ?, ?, 'FAILED', ?, ?)",
                second.stepId(), second.rolloutId(), second.clusterId(), second.seq(), second.kind().name(),
                json.writeValueAsString(second), now, now);
        insertRunning(first, "dead-executor", now.minusSeconds(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(state(first.stepId(), 1)));
        assertThat((String) execution(first.stepId(), 1).get("message")).contains("a later attempt of the step exists");
        assertThat(simulator().weaviate("guard-superseded").allNodesOn("1.29.11")).as("not resumed").isTrue();
    }

    @Test
    void anAttemptThisExecutorOwnsButHoldsNowhereIsLetGoAndRunRatherThanRenewedForever() throws Exception {
        // As if its worker had vanished: the row says it is this executor's, the executor has no trace of it.
        var cluster = simulator().createCluster(ClusterSpec.weaviate("guard-forgotten", "1.30.23", 1, "kubernetes"));
        StepRequested verify = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        insertRunning(verify, instance.id(), OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(state(verify.stepId(), 1)));
        assertThat(query("select * from cluster_guard where cluster_id = ?", "guard-forgotten")).isEmpty();
    }

    private void insertRunning(StepRequested step, String owner, OffsetDateTime leaseUntil) throws Exception {
        // the guard first: once the row exists, a sweep may take it (and the guard) at any moment
        update("insert into cluster_guard (cluster_id, step_id, attempt, owner, lease_until) values (?, ?, ?, ?, ?)",
                step.clusterId(), step.stepId(), step.attempt(), owner, leaseUntil);
        update("insert into step_execution (step_id, attempt, rollout_id, cluster_id, seq, kind, request, state,"
                        + " received_at, started_at, owner, lease_until) values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?)",
                step.stepId(), step.attempt(), step.rolloutId(), step.clusterId(), step.seq(), step.kind().name(),
                json.writeValueAsString(step), OffsetDateTime.now(ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC),
                owner, leaseUntil);
    }

    private static StepRequested attempt(StepRequested step, int attempt) {
        return new StepRequested(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), attempt, step.product(),
                step.kind(), step.toVersion(), step.params(), step.cluster(), step.preflight());
    }
}
