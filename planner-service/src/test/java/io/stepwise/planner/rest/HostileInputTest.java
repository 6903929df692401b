package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an attacker or a clumsy sync job sends is refused at registration with a 400 naming the field, and nothing is
 * registered: references to the executor's own settings, names that would become command flags, text no store can
 * keep, and registrations too large to travel in an event.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "the executor's database password|\"credentialsRef\": \"config:quarkus.datasource.password\"|credentialsRef",
            "an environment variable|\"credentialsRef\": \"env:AWS_SECRET_ACCESS_KEY\"|credentialsRef",
            "a StatefulSet that is a flag|\"statefulSet\": \"--all\"|statefulSet",
            "a blank StatefulSet|\"statefulSet\": \" \"|statefulSet",
            "a namespace that is a flag|\"namespace\": \"-n\"|namespace",
            "a helm release that is a flag|\"helmRelease\": \"--kubeconfig=/etc/passwd\"|helmRelease",
            "a helm release too long for helm|\"helmRelease\": \"a23456789012345678901234567890123456789012345678901234\"|helmRelease",
            "a NUL in a label value|\"labels\": {\"env\": \"pr\\u0000od\"}|labels.env",
            "a NUL in a label key|\"labels\": {\"e\\u0000nv\": \"prod\"}|labels",
            "a NUL in an extra setting|\"extra\": {\"backupBackend\": \"s3\\u0000\"}|extra.backupBackend",
            "an unpaired surrogate|\"endpoint\": \"https://x\\ud800.example\"|endpoint"})
    void aHostileRegistrationIsRefusedNamingTheFieldAndRegistersNothing(String attack, String field, String named) {
        String id = "hostile-" + Math.abs(attack.hashCode());
        assertProblem(given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", " + field + "}")
                .when().post("/api/v1/clusters").then(), 400, named);
        given().when().get("/api/v1/clusters/" + id).then().statusCode(404);
    }

    @Test
    void tooManyLabelsOrSettingsAndTwoMegabytesOfExtraAreRefused() {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\": \"v\"");
        }
        assertProblem(given().contentType(ContentType.JSON)
                .body("{\"id\": \"hostile-labels\", \"product\": \"weaviate\", \"labels\": {" + labels + "}}")
                .when().post("/api/v1/clusters").then(), 400, "labels");

        String megabyte = "x".repeat(1 << 20);
        assertProblem(given().contentType(ContentType.JSON)
                .body("{\"id\": \"hostile-extra\", \"product\": \"weaviate\", \"extra\": {\"a\": \"" + megabyte
                        + "\", \"b\": \"" + megabyte + "\"}}")
                .when().post("/api/v1/clusters").then(), 400, "extra");
        given().when().get("/api/v1/clusters/hostile-extra").then().statusCode(404);
    }

    @Test
    void textNoStoreCanKeepInThePathOrTheQueryIsRefusedNamingIt() {
        assertProblem(given().urlEncodingEnabled(false).when().get("/api/v1/clusters/a%00b").then(), 400, "path.id");
        assertProblem(given().urlEncodingEnabled(false).when().get("/api/v1/clusters?selector=env%3Dp%00").then(), 400,
                "selector");
        assertProblem(given().urlEncodingEnabled(false).when().get("/api/v1/rollouts/x%00/audit").then(), 400,
                "path.id");
    }

    @Test
    void aPageBeyondWhatCanBeCountedIsRefused() {
        assertProblem(given().queryParam("page", 2_000_000_000).queryParam("size", 500)
                .when().get("/api/v1/clusters").then(), 400, "page");
        assertProblem(given().queryParam("page", Integer.MAX_VALUE).queryParam("size", 2)
                .when().get("/api/v1/rollouts").then(), 400, "page");
    }
}
