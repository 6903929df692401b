package io.stepwise.executor.security;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.actuator.CommandEnvironment;
import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.actuator.CommandRunner;
import io.stepwise.executor.actuator.CommandTemplate;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.Steps;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cluster's registration may put into the processes the executor starts: environment variables only from the
 * allow-list (never LD_PRELOAD), nothing of the executor's own environment, and only allowed flags for
 * {@code pachctl deploy}. Each refused step fails before anything runs.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class CommandsTest {

    private static StepTopic topic;

    @Inject
    CommandRunner runner;

    @Inject
    CommandEnvironment environment;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    @Test
    void ldPreloadFromTheInventoryIsRefusedAndNothingRuns() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("env-preload", "1.25.34", 1, "docker"));
        StepRequested upgrade = TestClusters.of(cluster).withExtra(Map.of("env.LD_PRELOAD", "/tmp/evil.so"))
                .step(StepKind.UPGRADE, "1.26.18");

        StepStatus end = Steps.run(topic, upgrade);

        assertThat(end.state()).isEqualTo(StepState.FAILED);
        assertThat(end.message()).contains("LD_PRELOAD").contains("stepwise.executor.command.allowed-env")
                .contains("nothing was run");
        assertThat(simulator().weaviate(cluster.id()).targetVersion()).isEqualTo("1.25.34");
        assertThat(simulator().effects(cluster.id())).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().violations(cluster.id())).isEmpty();
    }

    @Test
    void aChildProcessSeesOnlyPathHomeAndTheAllowedNames() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("env-minimal", "1.25.34", 1, "docker"));
        StepRequested step = TestClusters.of(cluster).withExtra(Map.of("env.STEPWISE_SIMULATOR_URL",
                simulator().baseUrl(), "env." + SimulatorResource.ALLOWED_ENV, "visible")).step(StepKind.UPGRADE, "1.26.18");

        // a template that prints its environment, run as every command of a step is run
        CommandResult printed = runner.run(CommandRunner.Invocation.of(CommandTemplate.render("env",
                CommandTemplate.values(step, "1.26.18")), Duration.ofSeconds(30)).withEnv(environment.forStep(step)));

        assertThat(printed.ok()).as(printed.failureSummary()).isTrue();
        Set<String> names = new TreeSet<>();
        printed.stdout().lines().filter(l -> l.contains("=")).forEach(l -> names.add(l.substring(0, l.indexOf('='))));
        assertThat(names).contains("PATH", CommandEnvironment.STEP_ID, "STEPWISE_SIMULATOR_URL",
                SimulatorResource.ALLOWED_ENV).isSubsetOf("PATH", "HOME", "KUBERNETES_SERVICE_HOST",
                "KUBERNETES_SERVICE_PORT", CommandEnvironment.STEP_ID, "STEPWISE_SIMULATOR_URL",
                SimulatorResource.ALLOWED_ENV);
        assertThat(System.getenv().keySet()).as("the executor's own environment has more than the child got")
                .anyMatch(name -> !names.contains(name));
        assertThat(simulator().violations(cluster.id())).isEmpty();
    }

    @Test
    void aDeployFlagOutsideTheAllowListIsRefusedBeforeTheClusterIsUndeployed() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.pachyderm("pach-flags", "1.9.12"));
        StepRequested upgrade = TestClusters.of(cluster).withExtra(Map.of("env.STEPWISE_SIMULATOR_URL",
                        simulator().baseUrl(), "deployArgs", "local --tls=/etc/passwd,/etc/shadow"))
                .step(StepKind.UPGRADE, "1.10.5");

        StepStatus end = Steps.run(topic, upgrade);

        assertThat(end.state()).isEqualTo(StepState.FAILED);
        assertThat(end.message()).contains("--tls").contains("stepwise.executor.pachyderm.allowed-deploy-flags")
                .contains("nothing was run");
        assertThat(simulator().pachyderm(cluster.id()).serverVersion().toString()).isEqualTo("1.9.12");
        assertThat(simulator().effects(cluster.id())).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().violations(cluster.id())).isEmpty();
    }
}
