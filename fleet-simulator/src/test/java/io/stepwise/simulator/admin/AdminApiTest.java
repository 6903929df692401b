package io.stepwise.simulator.admin;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

/** The Quarkus application: the same routes mounted on Quarkus' router, driven through the README's admin API. */
@QuarkusTest
class AdminApiTest {

    @Test
    void createInspectAndUseAWeaviateCluster() {
        String endpoint = given().contentType("application/json")
                .body("{\"id\":\"adm-1\",\"product\":\"weaviate\",\"version\":\"1.25.34\",\"nodes\":3,"
                        + "\"deployment\":\"kubernetes\",\"collections\":{\"Article\":1000}}")
                .post("/admin/clusters").then().statusCode(201)
                .body("id", equalTo("adm-1"))
                .body("endpoint", endsWith("/clusters/adm-1"))
                .body("namespace", equalTo("weaviate"))
                .body("statefulSet", equalTo("adm-1"))
                .body("kubernetesUrl", not(emptyOrNullString()))
                .extract().path("endpoint");

        given().get(endpoint + "/v1/meta").then().statusCode(200).body("version", equalTo("1.25.34"));
        given().header("X-Stepwise-Step-Id", "step-42").contentType("application/json").body("{\"id\":\"adm-backup\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(200);

        given().get("/admin/clusters").then().statusCode(200).body("id", hasItem("adm-1"));
        given().get("/admin/clusters/adm-1").then().statusCode(200)
                .body("state.nodes", hasSize(3))
                .body("state.collections.Article", equalTo(1000))
                .body("state.backups[0].id", equalTo("adm-backup"));
        given().queryParam("clusterId", "adm-1").get("/admin/effects").then().statusCode(200)
                .body("find { it.type == 'BACKUP_CREATED' }.stepId", equalTo("step-42"))
                .body("find { it.type == 'BACKUP_CREATED' }.clusterId", equalTo("adm-1"))
                .body("find { it.type == 'BACKUP_CREATED' }.at", not(emptyOrNullString()));
        given().get("/admin/violations").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void badRequestsAreProblems() {
        given().contentType("application/json").body("{\"id\":\"Bad_Id\",\"version\":\"1.25.0\"}")
                .post("/admin/clusters").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        given().contentType("application/json").body("{\"id\":\"adm-dup\",\"version\":\"1.25.0\"}")
                .post("/admin/clusters").then().statusCode(201).body("deployment", equalTo("docker"));
        given().contentType("application/json").body("{\"id\":\"adm-dup\",\"version\":\"1.25.0\"}")
                .post("/admin/clusters").then().statusCode(409);
        given().get("/admin/clusters/nope").then().statusCode(404);
    }

    @Test
    void versionChangeThroughTheAdminApi() {
        given().contentType("application/json")
                .body("{\"id\":\"adm-docker\",\"product\":\"weaviate\",\"version\":\"1.30.23\",\"deployment\":\"docker\"}")
                .post("/admin/clusters").then().statusCode(201);
        given().contentType("application/json").header("X-Stepwise-Step-Id", "step-v").body("{\"version\":\"1.31.22\"}")
                .post("/admin/clusters/adm-docker/version").then().statusCode(202);
        given().queryParam("clusterId", "adm-docker").get("/admin/effects").then()
                .body("find { it.type == 'IMAGE_CHANGED' }.details.to", equalTo("1.31.22"));
    }

    @Test
    void aPachydermTwoBackupIsADumpAndAnEffect() {
        given().contentType("application/json")
                .body("{\"id\":\"adm-pach2\",\"product\":\"pachyderm\",\"version\":\"2.9.3\"}")
                .post("/admin/clusters").then().statusCode(201);
        given().header("X-Stepwise-Step-Id", "step-b").post("/admin/clusters/adm-pach2/backup").then().statusCode(200)
                .contentType("application/octet-stream")
                .body(org.hamcrest.Matchers.containsString("\"kind\":\"pachyderm-v2-backup\""))
                .body(org.hamcrest.Matchers.containsString("\"version\":\"2.9.3\""));
        given().queryParam("clusterId", "adm-pach2").get("/admin/effects").then()
                .body("find { it.type == 'BACKUP_CREATED' }.stepId", equalTo("step-b"));
        given().post("/admin/clusters/nope/backup").then().statusCode(404);
    }

    @Test
    void aClusterCreatedWithItsOwnDurationsMovesAtThatSpeed() {
        String instant = create("adm-fast", "{\"backup\": \"PT0S\", \"nodeRestart\": \"PT0S\", \"sync\": \"PT0S\"}");
        String slow = create("adm-slow", "{\"backup\": \"PT1H\", \"nodeRestart\": \"PT1H\", \"sync\": \"PT1H\"}");
        for (String endpoint : new String[] {instant, slow}) {
            given().contentType("application/json").body("{\"id\":\"speed\"}").post(endpoint + "/v1/backups/s3")
                    .then().statusCode(200);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(instant + "/v1/backups/s3/speed")
                .then().statusCode(200).body("status", equalTo("SUCCESS")));
        given().get(slow + "/v1/backups/s3/speed").then().statusCode(200)
                .body("status", not(equalTo("SUCCESS")));

        given().contentType("application/json").body("{\"id\":\"adm-neg\",\"product\":\"weaviate\",\"version\":\"1.30.23\","
                        + "\"durations\":{\"backup\":\"PT-1S\",\"nodeRestart\":\"PT0S\",\"sync\":\"PT0S\"}}")
                .post("/admin/clusters").then().statusCode(400).contentType("application/problem+json");
    }

    private static String create(String id, String durations) {
        return given().contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"product\":\"weaviate\",\"version\":\"1.30.23\",\"deployment\":\"docker\","
                        + "\"collections\":{\"Article\":10},\"durations\":" + durations + "}")
                .post("/admin/clusters").then().statusCode(201).extract().path("endpoint");
    }

    @Test
    void healthEndpointIsUp() {
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void objectsOfACollectionCanBeLostOnPurpose() {
        String endpoint = given().contentType("application/json")
                .body("{\"id\":\"adm-lose\",\"version\":\"1.30.23\",\"collections\":{\"Article\":1000}}")
                .post("/admin/clusters").then().statusCode(201).extract().path("endpoint");

        given().contentType("application/json").body("{\"objects\":10}")
                .post("/admin/clusters/adm-lose/collections/Article/lose").then().statusCode(200)
                .body("objects", equalTo(990));
        given().contentType("application/json").body("{\"query\":\"{ Aggregate { Article { meta { count } } } }\"}")
                .post(endpoint + "/v1/graphql").then().statusCode(200)
                .body("data.Aggregate.Article[0].meta.count", equalTo(990));
        given().queryParam("clusterId", "adm-lose").get("/admin/effects").then()
                .body("find { it.type == 'OBJECTS_LOST' }.details.before", equalTo(1000));

        given().contentType("application/json").body("{\"objects\":\"many\"}")
                .post("/admin/clusters/adm-lose/collections/Article/lose").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"objects\":0}")
                .post("/admin/clusters/adm-lose/collections/Article/lose").then().statusCode(400);
        given().contentType("application/json").body("{\"objects\":1}")
                .post("/admin/clusters/adm-lose/collections/Nope/lose").then().statusCode(404);
        given().contentType("application/json").body("{\"objects\":1}")
                .post("/admin/clusters/nope/collections/Article/lose").then().statusCode(404);
    }
}
