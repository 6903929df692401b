package io.stepwise.planner.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.FakeExecutor;
import io.stepwise.planner.testing.FakeExecutor.Reply;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard (deploy/grafana) reads is on the planner's /q/metrics once a rollout ran,
 * under exactly the name the dashboard uses: the stepwise_* series and the Kafka consumer's lag.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class DashboardMetricsTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "stepwise-dashboard.json");
    private static final Pattern METRIC_NAME = Pattern.compile("\\b((?:stepwise|kafka)_[a-z0-9_]+)\\b");

    private static FakeExecutor executor;

    @BeforeAll
    static void startFakeExecutor() {
        executor = new FakeExecutor();
    }

    @AfterAll
    static void stopFakeExecutor() throws InterruptedException {
        executor.close();
    }

    private static Set<String> dashboardMetrics() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC_NAME.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The names of the samples on /q/metrics (Prometheus text format: name, optional labels, value). */
    private static Set<String> exposedMetrics() {
        Set<String> names = new TreeSet<>();
        given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).forEach(names::add);
        return names;
    }

    @Test
    void everyMetricTheDashboardReadsIsExposedAfterARollout() throws Exception {
        given().contentType(ContentType.JSON)
                .body("""
                        {"id": "metrics-1", "product": "weaviate", "version": "1.29.11", "nodes": 3,
                         "endpoint": "http://localhost:9/metrics-1", "labels": {"fleet": "metrics"}}""")
                .when().post("/api/v1/clusters").then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("""
                        {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=metrics"}""")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        executor.answer(id, step -> Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().when().get("/api/v1/rollouts/" + id)
                .then().statusCode(200).extract().path("state").equals("SUCCEEDED"));

        Set<String> wanted = dashboardMetrics();
        assertThat(wanted).as("metrics the dashboard reads").contains("stepwise_steps_dispatched_total",
                "stepwise_steps_finished_total", "stepwise_step_duration_seconds_bucket", "stepwise_clusters_running",
                "stepwise_outbox_unsent", "kafka_consumer_fetch_manager_records_lag_max");
        // gauges are refreshed every 10 s; Kafka client metrics are bound when the consumer starts
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(exposedMetrics()).as("names on /q/metrics").containsAll(wanted));
        // the lag is the planner's own consumer of stepwise.step-status (SmallRye names the client after the channel)
        assertThat(given().when().get("/q/metrics").then().extract().asString().lines())
                .anyMatch(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                        && l.contains("client_id=\"kafka-consumer-step-status\""));
    }
}
