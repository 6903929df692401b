package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Nothing about the inventory or the catalogs changes silently: each registration, replacement, deletion and
 * catalog change is in a hash-chained record naming who made it and what changed, and an edited record is detected.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ChangeAuditTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aClustersRegistrationReplacementAndDeletionAreRecordedWithWhoAndWhatChanged() throws Exception {
        String id = "audited-" + UUID.randomUUID().toString().substring(0, 6);
        String olga = "Bearer " + IssuerResource.token("olga", "operator");
        given().contentType(ContentType.JSON).header("Authorization", olga)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"1.29.11\", \"nodes\": 3,"
                        + " \"labels\": {\"env\": \"prod\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
        given().contentType(ContentType.JSON).header("Authorization", olga)
                .body("{\"product\": \"weaviate\", \"nodes\": 5, \"labels\": {\"env\": \"prod\", \"ring\": \"2\"}}")
                .when().put("/api/v1/clusters/" + id).then().statusCode(200);
        given().contentType(ContentType.JSON).header("Authorization", olga)
                .body("{\"product\": \"weaviate\", \"nodes\": 5, \"labels\": {\"env\": \"prod\", \"ring\": \"2\"}}")
                .when().put("/api/v1/clusters/" + id).then().statusCode(200);   // changes nothing: not recorded
        given().header("Authorization", "Bearer " + IssuerResource.token("adam", "admin"))
                .when().delete("/api/v1/clusters/" + id).then().statusCode(204);

        JsonPath changes = given().queryParam("kind", "cluster").queryParam("subject", id)
                .when().get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
        assertThat(changes.getList("type")).containsExactly("cluster.registered", "cluster.replaced", "cluster.deleted");
        assertThat(changes.getList("actor")).containsExactly("olga", "olga", "adam");
        assertThat(changes.getInt("[0].details.changes.nodes.after")).isEqualTo(3);
        assertThat(changes.getInt("[1].details.changes.nodes.before")).isEqualTo(3);
        assertThat(changes.getInt("[1].details.changes.nodes.after")).isEqualTo(5);
        assertThat(changes.getString("[1].details.changes.labels.after.ring")).isEqualTo("2");
        assertThat(changes.getMap("[1].details.changes")).containsOnlyKeys("nodes", "labels");
        assertThat(changes.getString("[2].details.changes.version.before")).isEqualTo("1.29.11");
        assertThat(changes.getString("[2].details.changes.version.after")).isNull();
        verify("cluster", id).body("valid", equalTo(true)).body("entries", equalTo(3));

        try (Connection c = dataSource.getConnection(); PreparedStatement edit = c.prepareStatement(
                "update change_audit set actor = 'nobody' where kind = 'cluster' and subject = ? and seq = 3")) {
            edit.setString(1, id);
            assertThat(edit.executeUpdate()).isEqualTo(1);
        }
        verify("cluster", id).body("valid", equalTo(false)).body("brokenAt", equalTo(3));
    }

    @Test
    void aCatalogReplacementAndResetAreRecordedAndRemovingTheLastEntryIsDetected() throws Exception {
        String adam = "Bearer " + IssuerResource.token("adam", "admin");
        String catalog = given().when().get("/api/v1/catalog/pachyderm").then().statusCode(200).extract().asString();
        int before = given().queryParam("kind", "catalog").queryParam("subject", "pachyderm")
                .when().get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("seq").size();
        given().contentType(ContentType.JSON).header("Authorization", adam)
                .body(catalog.replaceFirst("\"source\":\"[^\"]*\"", "\"source\":\"audited\""))
                .when().put("/api/v1/catalog/pachyderm").then().statusCode(200);
        given().header("Authorization", adam).when().delete("/api/v1/catalog/pachyderm").then().statusCode(200);

        JsonPath changes = given().queryParam("kind", "catalog").queryParam("subject", "pachyderm")
                .when().get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
        assertThat(changes.getList("type").subList(before, before + 2)).containsExactly("catalog.replaced",
                "catalog.reset");
        assertThat(changes.getString("[" + before + "].actor")).isEqualTo("adam");
        assertThat(changes.getString("[" + before + "].details.changes.source.after")).isEqualTo("audited");
        assertThat(changes.getString("[" + before + "].details.changes.origin.after")).isEqualTo("api");
        verify("catalog", "pachyderm").body("valid", equalTo(true));

        try (Connection c = dataSource.getConnection(); PreparedStatement remove = c.prepareStatement(
                "delete from change_audit where kind = 'catalog' and subject = 'pachyderm' and seq = ?")) {
            remove.setInt(1, before + 2);
            assertThat(remove.executeUpdate()).isEqualTo(1);
        }
        verify("catalog", "pachyderm").body("valid", equalTo(false));
    }

    @Test
    void aQueryWithoutKindOrSubjectIsRefusedNamingTheField() {
        given().queryParam("kind", "rollout").when().get("/api/v1/audit").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("kind", "subject"));
    }

    private static io.restassured.response.ValidatableResponse verify(String kind, String subject) {
        return given().queryParam("kind", kind).queryParam("subject", subject)
                .when().get("/api/v1/audit/verify").then().statusCode(200);
    }
}
