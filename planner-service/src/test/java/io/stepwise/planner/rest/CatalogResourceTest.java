package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class CatalogResourceTest {

    private static final String WEAVIATE_WITH_1_40 = """
            {"product": "weaviate", "source": "test: 1.40 released",
             "lines": [{"line": "1.38", "firstPatch": 0, "latestPatch": 11},
                       {"line": "1.39", "firstPatch": 0, "latestPatch": 10},
                       {"line": "1.40", "firstPatch": 0, "latestPatch": 4}],
             "blocked": [{"from": "1.40.4", "to": "1.40.4", "reason": "test: bad patch"}]}""";

    @AfterEach
    void backToTheBuiltInCatalog() {
        given().when().delete("/api/v1/catalog/weaviate").then().statusCode(200);
    }

    @Test
    void builtInCatalogIsShownWithItsOrigin() {
        given().when().get("/api/v1/catalog/weaviate")
                .then().statusCode(200)
                .body("origin", equalTo("built_in"))
                .body("lines", hasSize(20))
                .body("lines.find { it.line == '1.30' }.latestPatch", equalTo(23))
                .body("blocked.from", hasItem("1.27.23"));
        given().when().get("/api/v1/catalog").then().statusCode(200).body("product", hasItem("pachyderm"));
    }

    @Test
    void replacedCatalogDrivesPlanningAtOnceAndResetRestoresTheBuiltIn() {
        given().contentType(ContentType.JSON).body(WEAVIATE_WITH_1_40)
                .when().put("/api/v1/catalog/weaviate")
                .then().statusCode(200).body("origin", equalTo("api"));

        String preview = "{\"product\": \"weaviate\", \"targetVersion\": \"latest\","
                + " \"clusters\": [{\"id\": \"cat\", \"version\": \"1.39.2\", \"nodes\": 3}]}";
        // latest skips the blocked 1.40.4
        given().contentType(ContentType.JSON).body(preview).when().post("/api/v1/plans/preview")
                .then().statusCode(200).body("plans[0].toVersion", equalTo("1.40.3"));

        given().when().delete("/api/v1/catalog/weaviate").then().statusCode(200).body("origin", equalTo("built_in"));
        // the built-in catalog stops at 1.39.0: 'latest' must not quietly mean a downgrade
        given().contentType(ContentType.JSON).body(preview).when().post("/api/v1/plans/preview")
                .then().statusCode(200)
                .body("refusals[0].code", equalTo("PRECONDITION_FAILED"))
                .body("refusals[0].message", containsString("catalog is out of date"));
    }

    @Test
    void invalidCatalogIsRefusedWholeAndChangesNothing() {
        assertProblem(given().contentType(ContentType.JSON).body("""
                        {"lines": [{"line": "1.40", "firstPatch": 5, "latestPatch": 2},
                                   {"line": "one.forty", "latestPatch": 1}],
                         "blocked": [{"from": "1.40.x"}]}""")
                .when().put("/api/v1/catalog/weaviate").then(), 400, "lines[0]")
                .body("errors.field", hasItem("lines[1].line"))
                .body("errors.field", hasItem("blocked[0].from"));
        assertProblem(given().contentType(ContentType.JSON).body(WEAVIATE_WITH_1_40)
                .when().put("/api/v1/catalog/pachyderm").then(), 400, "product");
        assertProblem(given().contentType(ContentType.JSON).body(WEAVIATE_WITH_1_40)
                .when().put("/api/v1/catalog/redis").then(), 400, "product");

        given().when().get("/api/v1/catalog/weaviate").then().body("origin", equalTo("built_in"));
        given().when().get("/api/v1/catalog/pachyderm").then().body("origin", equalTo("built_in"));
    }
}
