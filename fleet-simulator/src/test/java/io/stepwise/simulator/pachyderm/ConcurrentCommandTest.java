package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.ledger.Violation;
import io.stepwise.simulator.ledger.ViolationRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * pachctl's commands take effect at once, so a command runs from its request's arrival at pachd to pachd's answer.
 * A slow pachd (SLOW_API on the first request only) keeps one command running while another arrives.
 */
class ConcurrentCommandTest {

    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.clearFaults();
    }

    /** What pachctl sends for a command: {@code POST {cluster}/pachd/{command}} with the step id. */
    private static int command(String clusterId, String command, String stepId) {
        return given().header("X-Stepwise-Step-Id", stepId).post(sim.endpoint(clusterId) + "/pachd/" + command)
                .statusCode();
    }

    /** Sends {@code command} to a pachd that takes 3 s to answer it; returns once pachd is serving it. */
    private static CompletableFuture<Integer> slowCommand(String clusterId, String command, String stepId) {
        sim.injectFault(Fault.slowApi(clusterId, 3000).times(1));
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> command(clusterId, command, stepId));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.pachyderm(clusterId).serving().isEmpty());
        return answer;
    }

    @Test
    void aCommandWhilePachdServesAnotherOverlaps() {
        sim.createCluster(ClusterSpec.pachyderm("p-overlap", "1.9.12").withCollections(Map.of("images", 3L)));
        CompletableFuture<Integer> undeploy = slowCommand("p-overlap", "undeploy", "step-undeploy");
        assertThat(sim.pachyderm("p-overlap").serving()).containsExactly("pachctl undeploy (step step-undeploy)");

        assertThat(command("p-overlap", "extract?noObjects=true", "step-extract")).isEqualTo(200);
        assertThat(undeploy.join()).isEqualTo(204);
        assertThat(sim.pachyderm("p-overlap").serving()).isEmpty();
        assertThat(sim.violations("p-overlap")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.CONCURRENT_OPERATION);
            assertThat(v.stepId()).isEqualTo("step-extract");
            assertThat(v.message()).isEqualTo("pachctl extract (step step-extract) began while pachctl undeploy "
                    + "(step step-undeploy) had not ended");
        });
    }

    @Test
    void aHelmUpgradeWhilePachdServesACommandOverlaps() {
        sim.createCluster(ClusterSpec.pachyderm("p-helm", "2.10.7"));
        CompletableFuture<Integer> deploy = slowCommand("p-helm", "deploy?version=2.10.7", "step-deploy");
        sim.setVersion("p-helm", "2.11.6", "step-upgrade");
        deploy.join();
        assertThat(sim.violations("p-helm")).extracting(Violation::rule, Violation::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ViolationRule.CONCURRENT_OPERATION, "helm upgrade to 2.11.6 "
                        + "(step step-upgrade) began while pachctl deploy 2.10.7 (step step-deploy) had not ended"));
    }

    @Test
    void commandsOneAfterAnotherDoNotOverlap() {
        sim.createCluster(ClusterSpec.pachyderm("p-in-turn", "1.10.5").withCollections(Map.of("images", 3L)));
        assertThat(command("p-in-turn", "extract?url=s3://backups/p-in-turn", "step-extract")).isEqualTo(204);
        assertThat(command("p-in-turn", "undeploy", "step-undeploy")).isEqualTo(204);
        assertThat(command("p-in-turn", "undeploy", "step-undeploy")).isEqualTo(204); // a retry: still undeployed
        assertThat(command("p-in-turn", "deploy?version=1.11.9", "step-deploy")).isEqualTo(204);
        assertThat(command("p-in-turn", "restore?url=s3://backups/p-in-turn", "step-restore")).isEqualTo(204);
        sim.setVersion("p-in-turn", "1.11.9", "step-upgrade");
        assertThat(sim.pachyderm("p-in-turn").repos()).containsEntry("images", 3L);
        assertThat(sim.violations("p-in-turn")).isEmpty();
    }
}
