package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ClusterResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void registerFleetOnce() {
        if (given().when().get("/api/v1/clusters/inv-a").statusCode() == 200) {
            return;
        }
        register("inv-a", "weaviate", "1.24.10", "{\"env\": \"prod\", \"region\": \"eu\"}");
        register("inv-b", "weaviate", "1.25.3", "{\"env\": \"prod\", \"region\": \"us\"}");
        register("inv-c", "weaviate", "1.30.5", "{\"env\": \"staging\", \"region\": \"eu\", \"canary\": \"yes\"}");
        register("inv-d", "pachyderm", "2.9.3", "{\"env\": \"prod\", \"region\": \"eu\"}");
    }

    private static void register(String id, String product, String version, String labels) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"" + product + "\", \"version\": \"" + version
                        + "\", \"nodes\": 3, \"deployment\": \"kubernetes\", \"endpoint\": \"http://localhost:9/"
                        + id + "\", \"labels\": " + labels + "}")
                .when().post("/api/v1/clusters")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/clusters/" + id));
    }

    @Test
    void registeredClusterCanBeReadBack() {
        given().when().get("/api/v1/clusters/inv-a")
                .then().statusCode(200)
                .body("id", equalTo("inv-a"))
                .body("product", equalTo("weaviate"))
                .body("version", equalTo("1.24.10"))
                .body("nodes", equalTo(3))
                .body("labels.env", equalTo("prod"))
                .body("credentialsRef", nullValue());
    }

    @ParameterizedTest(name = "selector ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "env=prod|inv-a,inv-b,inv-d",
            "env=prod,region=eu|inv-a,inv-d",
            "env!=prod|inv-c",
            "region in (us, eu),env==prod|inv-a,inv-b,inv-d",
            "region notin (eu)|inv-b",
            "canary|inv-c",
            "!canary,env=prod|inv-a,inv-b,inv-d"})
    void selectsByLabelsAsKubernetesDoes(String selector, String expected) {
        given().queryParam("selector", selector).queryParam("size", 500)
                .when().get("/api/v1/clusters")
                .then().statusCode(200)
                .body("items.id.findAll { it.startsWith('inv-') }", containsInAnyOrder(expected.split(",")));
    }

    @Test
    void listsByProductOnePageAtATime() {
        given().queryParam("selector", "env=prod").queryParam("product", "weaviate")
                .queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/v1/clusters")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo("inv-b"))
                .body("page", equalTo(1))
                .body("size", equalTo(1))
                .body("total", equalTo(2));
    }

    @Test
    void deletedClusterIsGone() {
        register("inv-gone", "weaviate", "1.25.0", "{}");

        given().when().delete("/api/v1/clusters/inv-gone").then().statusCode(204);

        assertProblemStatus(given().when().get("/api/v1/clusters/inv-gone").then(), 404)
                .body("detail", containsString("inv-gone"));
        assertProblemStatus(given().when().delete("/api/v1/clusters/inv-gone").then(), 404);
    }

    @Test
    void registeringTheSameIdTwiceIsAConflictAndKeepsTheFirst() {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"inv-a\", \"product\": \"pachyderm\", \"version\": \"2.1.0\"}")
                .when().post("/api/v1/clusters")
                .then().statusCode(409).contentType("application/problem+json");

        given().when().get("/api/v1/clusters/inv-a").then().body("product", equalTo("weaviate"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"product\": \"weaviate\"}|id",
            "{\"id\": \"Prod_EU\", \"product\": \"weaviate\"}|id",
            "{\"id\": \"x1\", \"product\": \"cassandra\"}|product",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"version\": \"1.x\"}|version",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"nodes\": 0}|nodes",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"nodes\": \"three\"}|nodes",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"deployment\": \"ansible\"}|deployment",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"endpoint\": \"not a url\"}|endpoint",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"credentialsRef\": \"hunter2-key\"}|credentialsRef",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"labels\": {\"env\": \"pr od\"}}|labels.env",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"labels\": [\"env\"]}|labels",
            "{\"id\": \"x1\", \"product\": |body",
            "[1, 2]|body",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"extra\": {\"apiKey\": \"abc123\"}}|extra.apiKey",
            "{\"id\": \"x1\", \"product\": \"weaviate\", \"extra\": {\"sampleQuery\": \"Get Article\"}}|extra.sampleQuery"})
    void badRegistrationsAreRefusedNamingTheFieldAndChangeNothing(String body, String field) {
        assertProblem(given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/clusters").then(), 400, field);

        assertProblemStatus(given().when().get("/api/v1/clusters/x1").then(), 404);
    }

    @Test
    void putRegistersAClusterThenReplacesItsRegistrationKeepingWhatTheSourceDoesNotKnow() {
        String canary = "{\"product\": \"weaviate\", \"version\": \"1.28.3\", \"nodes\": 3,"
                + " \"endpoint\": \"http://localhost:9/put-a\", \"labels\": {\"team\": \"search\", \"ring\": \"canary\"}}";
        String createdAt = given().contentType(ContentType.JSON).body(canary)
                .when().put("/api/v1/clusters/put-a")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/clusters/put-a"))
                .body("id", equalTo("put-a"))
                .extract().path("createdAt");
        given().contentType(ContentType.JSON).body(canary).when().put("/api/v1/clusters/put-a")
                .then().statusCode(200).body("labels.ring", equalTo("canary"));

        // the inventory's source moves it to another ring and endpoint; it does not know the version
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"put-a\", \"product\": \"weaviate\", \"nodes\": 5,"
                        + " \"endpoint\": \"http://localhost:9/put-a-2\", \"labels\": {\"team\": \"search\", \"ring\": \"general\"}}")
                .when().put("/api/v1/clusters/put-a")
                .then().statusCode(200)
                .body("nodes", equalTo(5))
                .body("endpoint", equalTo("http://localhost:9/put-a-2"))
                .body("version", equalTo("1.28.3"))
                .body("createdAt", equalTo(createdAt));

        given().queryParam("selector", "team=search,ring=general").when().get("/api/v1/clusters")
                .then().statusCode(200).body("items.id", containsInAnyOrder("put-a"));
        given().queryParam("selector", "team=search,ring=canary").when().get("/api/v1/clusters")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aBatchRegistersNewClustersAndReplacesKnownOnesInOneGo() {
        given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"version\": \"1.27.4\", \"nodes\": 3}")
                .when().put("/api/v1/clusters/batch-known").then().statusCode(201);

        given().contentType(ContentType.JSON).body("""
                        {"clusters": [
                          {"id": "batch-1", "product": "weaviate", "version": "1.28.3", "labels": {"fleet": "batch"}},
                          {"id": "batch-2", "product": "weaviate", "version": "1.29.1", "labels": {"fleet": "batch"}},
                          {"id": "batch-known", "product": "weaviate", "nodes": 5, "labels": {"fleet": "batch"}}]}""")
                .when().post("/api/v1/clusters/batch")
                .then().statusCode(200)
                .body("created", equalTo(2))
                .body("replaced", equalTo(1));

        given().queryParam("selector", "fleet=batch").when().get("/api/v1/clusters")
                .then().statusCode(200).body("items.id", containsInAnyOrder("batch-1", "batch-2", "batch-known"));
        given().when().get("/api/v1/clusters/batch-known").then().statusCode(200)
                .body("nodes", equalTo(5))
                .body("version", equalTo("1.27.4"));
    }

    @Test
    void aBatchWithAnyBadClusterNamesEveryProblemAndRegistersNone() {
        assertProblem(given().contentType(ContentType.JSON).body("""
                        {"clusters": [
                          {"id": "batch-bad-1", "product": "weaviate", "version": "1.28.3"},
                          {"id": "batch-bad-2", "product": "weaviate", "nodes": 0},
                          {"id": "batch-bad-1", "product": "weaviate"},
                          null]}""")
                .when().post("/api/v1/clusters/batch").then(), 400, "clusters[1].nodes")
                .body("errors.field", hasItem("clusters[2].id"))
                .body("errors.field", hasItem("clusters[3]"));
        assertProblemStatus(given().when().get("/api/v1/clusters/batch-bad-1").then(), 404);

        assertProblem(given().contentType(ContentType.JSON).body("{\"clusters\": []}")
                .when().post("/api/v1/clusters/batch").then(), 400, "clusters");
    }

    @Test
    void aRegistrationRacingAnotherOfTheSameIdIsAConflictNotAServerError() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement insert = other.createStatement()) {
                insert.executeUpdate("insert into cluster (id, product, deployment, created_at, updated_at)"
                        + " values ('race-a', 'pachyderm', 'command', now(), now())");
            }
            // both requests find no race-a: this one's insert waits on the other's uncommitted row
            CompletableFuture<io.restassured.response.Response> post = CompletableFuture.supplyAsync(() ->
                    given().contentType(ContentType.JSON)
                            .body("{\"id\": \"race-a\", \"product\": \"weaviate\", \"version\": \"1.25.0\"}")
                            .when().post("/api/v1/clusters").then().extract().response());
            await().atMost(Duration.ofSeconds(30)).until(ClusterResourceTest.this::someoneWaitsOnALock);
            other.commit();

            assertProblemStatus(post.get(30, TimeUnit.SECONDS).then(), 409)
                    .body("detail", containsString("race-a"));
        }
        given().when().get("/api/v1/clusters/race-a").then().statusCode(200).body("product", equalTo("pachyderm"));
    }

    private boolean someoneWaitsOnALock() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_locks where not granted")) {
            return r.next() && r.getLong(1) > 0;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "inv-a|{\"id\": \"inv-b\", \"product\": \"weaviate\"}|id",
            "inv-a|{\"product\": \"weaviate\", \"nodes\": 0}|nodes",
            "inv-a|{\"nodes\": 3}|product",
            "inv-a|{\"product\": |body",
            "Inv_A|{\"product\": \"weaviate\"}|id"})
    void badPutsAreRefusedNamingTheFieldAndChangeNothing(String id, String body, String field) {
        assertProblem(given().contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/clusters/" + id).then(), 400, field);

        given().when().get("/api/v1/clusters/inv-a").then().statusCode(200)
                .body("product", equalTo("weaviate"))
                .body("nodes", equalTo(3))
                .body("version", equalTo("1.24.10"));
        if (!id.equals("inv-a")) {
            assertProblemStatus(given().when().get("/api/v1/clusters/" + id.toLowerCase()).then(), 404);
        }
    }

    @Test
    void credentialsAreReferencesNeverSecrets() {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"inv-auth\", \"product\": \"weaviate\", \"version\": \"1.25.0\", \"nodes\": 1,"
                        + " \"credentialsRef\": \"secret:weaviate-prod\", \"extra\": {\"backupBackend\": \"s3\"}}")
                .when().post("/api/v1/clusters")
                .then().statusCode(201)
                .body("credentialsRef", equalTo("secret:weaviate-prod"))
                .body("extra.backupBackend", equalTo("s3"));
    }

    @Test
    void aSampleQueryForVerifyIsKeptWithTheRegistration() {
        String query = "query Sample { Get { Article(limit: 1) { title } } }";
        given().contentType(ContentType.JSON)
                .body(Map.of("id", "inv-sample", "product", "weaviate", "extra", Map.of("sampleQuery", query)))
                .when().post("/api/v1/clusters")
                .then().statusCode(201)
                .body("extra.sampleQuery", equalTo(query));
    }

    @ParameterizedTest
    @CsvSource({"'region in (eu', selector", "'env=prod,,x', selector"})
    void badSelectorsAndPagesAreRefused(String selector, String field) {
        assertProblem(given().queryParam("selector", selector).when().get("/api/v1/clusters").then(), 400, field);
        assertProblem(given().queryParam("size", 100000).when().get("/api/v1/clusters").then(), 400, "size");
        assertProblem(given().queryParam("product", "mongo").when().get("/api/v1/clusters").then(), 400, "product");
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        assertProblemStatus(given().when().get("/api/v1/nothing-here").then(), 404);
        assertProblemStatus(given().when().patch("/api/v1/clusters/inv-a").then(), 405);
        assertProblemStatus(given().contentType(ContentType.TEXT).body("id=x")
                .when().post("/api/v1/clusters").then(), 415);
    }

    private static io.restassured.response.ValidatableResponse assertProblemStatus(
            io.restassured.response.ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }
}
