package io.stepwise.simulator.weaviate;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.ManualClock;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response the simulator gives, checked against the Weaviate OpenAPI spec of the version it
 * claims to be: a 1.25.0 cluster against the 1.25.0 spec, a 1.39 cluster against the 1.40.0-dev
 * spec (HEAD). Backups are caught mid-way (manual clock) so in-progress statuses are checked too.
 */
class OpenApiConformanceTest {

    static final ManualClock clock = new ManualClock();
    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false).withClock(clock)
                .withBackupDuration(Duration.ofSeconds(40)));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("weaviate-openapi-1.25.0.json", "1.25.0"),
                Arguments.of("weaviate-openapi-1.40.0-dev.json", "1.39.0"));
    }

    /** One call: the spec path and method it is, and how to make it. */
    record Call(String specPath, String method, Function<RequestSpecification, Response> send) {
    }

    @ParameterizedTest(name = "{1} against {0}")
    @MethodSource("specs")
    void everyResponseMatchesTheSpec(String specFile, String version) {
        OpenApiSpec spec = OpenApiSpec.load(specFile);
        String id = "oas-" + version.replace('.', '-');
        String endpoint = sim.createCluster(ClusterSpec.weaviate(id, version, 3, "docker")
                .withCollections(Map.of("Article", 1000L, "Author", 7L))).endpoint();
        String crashed = "oas-crash-" + version.replace('.', '-');
        String crashedEndpoint = sim.createCluster(ClusterSpec.weaviate(crashed, version, 3, "docker")).endpoint();
        sim.injectFault(Fault.nodeCrash(crashed, "weaviate-2"));

        List<Call> calls = new ArrayList<>(List.of(
                new Call("/meta", "GET", r -> r.get(endpoint + "/v1/meta")),
                new Call("/nodes", "GET", r -> r.get(endpoint + "/v1/nodes")),
                new Call("/nodes", "GET", r -> r.queryParam("output", "verbose").get(endpoint + "/v1/nodes")),
                new Call("/nodes", "GET", r -> r.queryParam("output", "verbose").get(crashedEndpoint + "/v1/nodes")),
                new Call("/nodes/{className}", "GET", r -> r.queryParam("output", "verbose").get(endpoint + "/v1/nodes/Article")),
                new Call("/cluster/statistics", "GET", r -> r.get(endpoint + "/v1/cluster/statistics")),
                new Call("/cluster/statistics", "GET", r -> r.get(crashedEndpoint + "/v1/cluster/statistics")),
                new Call("/.well-known/live", "GET", r -> r.get(endpoint + "/v1/.well-known/live")),
                new Call("/.well-known/ready", "GET", r -> r.get(endpoint + "/v1/.well-known/ready")),
                new Call("/graphql", "POST", r -> r.contentType("application/json")
                        .body("{\"query\":\"{ Aggregate { Article { meta { count } } } }\"}").post(endpoint + "/v1/graphql")),
                new Call("/graphql", "POST", r -> r.contentType("application/json")
                        .body("{\"query\":\"{ Get { Article(limit: 2) { title _additional { id } } } }\"}")
                        .post(endpoint + "/v1/graphql")),
                new Call("/graphql", "POST", r -> r.contentType("application/json")
                        .body("{\"query\":\"{ Get { Nope { title } } }\"}").post(endpoint + "/v1/graphql")),
                new Call("/backups/{backend}", "POST", r -> r.contentType("application/json")
                        .body("{\"id\":\"oas-backup\",\"include\":[\"Article\"]}").post(endpoint + "/v1/backups/s3")),
                new Call("/backups/{backend}", "POST", r -> r.contentType("application/json")
                        .body("{\"id\":\"Not Valid\"}").post(endpoint + "/v1/backups/s3")),
                new Call("/backups/{backend}/{id}", "GET", r -> r.get(endpoint + "/v1/backups/s3/oas-backup")),
                new Call("/backups/{backend}/{id}", "GET", r -> r.get(endpoint + "/v1/backups/s3/missing"))));
        List<String> problems = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        Runnable checkAll = () -> {
            for (Call call : calls) {
                Response response = call.send().apply(given());
                seen.add(response.statusCode());
                spec.checkResponse(call.specPath(), call.method(), response.statusCode(), response.asString())
                        .forEach(p -> problems.add(call.method() + " " + call.specPath() + " -> " + p));
            }
        };
        checkAll.run();
        clock.advance(Duration.ofSeconds(15)); // backup TRANSFERRING
        checkAll.run();
        clock.advance(Duration.ofSeconds(30)); // backup SUCCESS

        calls.clear();
        calls.add(new Call("/backups/{backend}/{id}", "GET", r -> r.get(endpoint + "/v1/backups/s3/oas-backup")));
        calls.add(new Call("/backups/{backend}/{id}/restore", "POST", r -> r.contentType("application/json")
                .body("{}").post(endpoint + "/v1/backups/s3/oas-backup/restore")));
        calls.add(new Call("/backups/{backend}/{id}/restore", "GET", r -> r.get(endpoint + "/v1/backups/s3/oas-backup/restore")));
        calls.add(new Call("/backups/{backend}/{id}/restore", "GET", r -> r.get(endpoint + "/v1/backups/s3/nothing/restore")));
        if (spec.hasOperation("/backups/{backend}", "GET")) {
            calls.add(new Call("/backups/{backend}", "GET", r -> r.get(endpoint + "/v1/backups/s3")));
        }
        checkAll.run();
        clock.advance(Duration.ofSeconds(30)); // the restore, onto an existing collection, FAILED
        calls.subList(1, 2).clear();
        checkAll.run();

        assertThat(problems).as("responses that do not match " + spec.version()).isEmpty();
        assertThat(seen).contains(200, 404, 422);
    }

    @ParameterizedTest(name = "a cluster on {1} answers like {0} about statistics")
    @MethodSource("specs")
    void statisticsEndpointFollowsTheSpecPaths(String specFile, String version) {
        OpenApiSpec spec = OpenApiSpec.load(specFile);
        assertThat(spec.hasOperation("/cluster/statistics", "GET")).isTrue();
        assertThat(spec.hasOperation("/schema/cluster-status", "GET")).isFalse(); // removed in 1.25
        String endpoint = sim.createCluster(ClusterSpec.weaviate("oas-paths-" + version.replace('.', '-'), version,
                1, "docker")).endpoint();
        given().get(endpoint + "/v1/schema/cluster-status").then().statusCode(404);
        given().get(endpoint + "/v1/cluster/statistics").then().statusCode(200);
    }

    @ParameterizedTest(name = "the checker itself rejects a bad body ({0})")
    @MethodSource("specs")
    void checkerRejectsUndeclaredFieldsAndWrongTypes(String specFile, String version) {
        OpenApiSpec spec = OpenApiSpec.load(specFile);
        assertThat(spec.checkResponse("/cluster/statistics", "GET", 200,
                "{\"statistics\":[{\"name\":\"weaviate-0\",\"raft\":{\"appliedIndex\":12}}],\"synchronized\":true}"))
                .singleElement().asString().contains("appliedIndex");
        assertThat(spec.checkResponse("/meta", "GET", 200, "{\"version\":\"1.25.0\",\"surprise\":1}"))
                .singleElement().asString().contains("surprise");
        assertThat(spec.checkResponse("/backups/{backend}/{id}", "GET", 200, "{\"status\":\"PAUSED\"}"))
                .singleElement().asString().contains("PAUSED");
    }

    @org.junit.jupiter.api.Test
    void aNewerServersAnswerDoesNotPassForAnOlderSpec() {
        String endpoint = sim.createCluster(ClusterSpec.weaviate("oas-newer", "1.39.0", 1, "docker")).endpoint();
        OpenApiSpec old = OpenApiSpec.load("weaviate-openapi-1.25.0.json");
        assertThat(old.checkResponse("/meta", "GET", 200, given().get(endpoint + "/v1/meta").asString()))
                .singleElement().asString().contains("grpcMaxMessageSize");
        assertThat(old.checkResponse("/nodes", "GET", 200, given().get(endpoint + "/v1/nodes").asString()))
                .singleElement().asString().contains("operationalMode");
    }
}
