package io.stepwise.planner.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.TransitionRefusedException;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionRequiredException;
import jakarta.transaction.TransactionalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's rules as domain rules: an event a state does not accept is refused with a domain error (the REST
 * layer turns it into a 409), and the README's table of the rules is the one the code declares.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class RolloutLifecycleTest {

    @Inject
    RolloutLifecycle lifecycle;

    @Test
    void anEventTheStateDoesNotAcceptIsRefusedAndChangesNothing() {
        String tag = "lc-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + tag + "\", \"product\": \"weaviate\", \"version\": \"1.29.11\", \"nodes\": 3,"
                        + " \"endpoint\": \"http://localhost:9/x\", \"labels\": {\"fleet\": \"" + tag + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag + "\"}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> lifecycle.resume(id, "alice")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("cannot resume rollout " + id + ": it is RUNNING");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> lifecycle.approve(id, tag, "alice")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessageContaining("not waiting for approval");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> lifecycle.retry(id, tag, "alice")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessageContaining("only a FAILED cluster can be retried");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> lifecycle.pause("no-such", "alice")))
                .isInstanceOf(NotFoundException.class);

        QuarkusTransaction.requiringNew().run(() -> lifecycle.cancel(id, "alice"));
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> lifecycle.pause(id, "alice")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("cannot pause rollout " + id + ": it is CANCELLED");
        given().when().get("/api/v1/rollouts/" + id).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("CANCELLED"));
    }

    @Test
    void transitionsAreOnlyMadeInsideTheCallersTransaction() {
        assertThatThrownBy(() -> lifecycle.pause("any", "alice")).isInstanceOf(TransactionalException.class)
                .hasCauseInstanceOf(TransactionRequiredException.class);
    }

    @Test
    void theReadmeShowsTheRulesTheCodeFollows() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).as("README.md's table of the rollout's life; regenerate it from Transition.table()")
                .contains(Transition.table());
    }
}
