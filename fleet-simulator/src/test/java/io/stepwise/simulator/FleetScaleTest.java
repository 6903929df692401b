package io.stepwise.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Thousands of clusters cost memory, not threads: every cluster's state is computed from the clock. */
class FleetScaleTest {

    @Test
    void twoThousandClustersUpgradeTogether() {
        ManualClock clock = new ManualClock();
        int threadsBefore = Thread.activeCount();
        try (FleetSimulator sim = FleetSimulator.start(0, SimulatorSettings.instant().withClock(clock)
                .withNodeRestartDuration(Duration.ofSeconds(30)).withTickInterval(Duration.ofMillis(50)))) {
            IntStream.range(0, 2000).forEach(i ->
                    sim.createCluster(ClusterSpec.weaviate("docker-" + i, "1.29.11", 3, "docker")));
            IntStream.range(0, 50).forEach(i ->
                    sim.createCluster(ClusterSpec.weaviate("k8s-" + i, "1.29.11", 3, "kubernetes")));
            assertThat(Thread.activeCount() - threadsBefore).as("threads added for 2050 clusters").isLessThan(40);

            IntStream.range(0, 2000).forEach(i -> sim.setVersion("docker-" + i, "1.30.23", null));
            IntStream.range(0, 50).forEach(i -> sim.setVersion("k8s-" + i, "1.30.23", null));
            await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 50)
                    .allMatch(i -> sim.weaviate("k8s-" + i).rolling()));
            assertThat(sim.weaviate("docker-1999").node("weaviate-2").status()).isEqualTo("UNAVAILABLE");

            clock.advance(Duration.ofMinutes(2)); // three 30 s restarts each
            assertThat(IntStream.range(0, 2000).allMatch(i -> sim.weaviate("docker-" + i).allNodesOn("1.30.23"))).isTrue();
            assertThat(IntStream.range(0, 50).allMatch(i -> sim.weaviate("k8s-" + i).allNodesOn("1.30.23"))).isTrue();
            given().get(sim.endpoint("docker-1234") + "/v1/cluster/statistics").then()
                    .body("synchronized", equalTo(true));
            assertThat(sim.violations()).isEmpty();
        }
    }
}
