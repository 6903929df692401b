package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ./stepwise --no-auth: the API takes no token and anyone may do anything, recorded as "anonymous". */
@QuarkusTest
@TestProfile(OpenForDemosTest.NoAuth.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class OpenForDemosTest {

    public static class NoAuth implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stepwise.security.enabled", "false");
        }
    }

    @Test
    void withoutAuthenticationEveryoneIsAnonymousAndMayDoAnything() {
        String id = "open-" + UUID.randomUUID().toString().substring(0, 6);
        given().header("Authorization", AdminByDefault.NO_TOKEN).contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"1.29.11\"}")
                .when().post("/api/v1/clusters").then().statusCode(201);
        given().header("Authorization", AdminByDefault.NO_TOKEN)
                .when().delete("/api/v1/clusters/" + id).then().statusCode(204);
        given().header("Authorization", AdminByDefault.NO_TOKEN).queryParam("kind", "cluster").queryParam("subject", id)
                .when().get("/api/v1/audit").then().statusCode(200)
                .body("actor", equalTo(java.util.List.of("anonymous", "anonymous")));
    }
}
