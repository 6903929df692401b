package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exit codes a script relies on, and what is said on stderr: the problem's title, detail and each bad field, one
 * line each.
 */
class ExitCodesTest {

    private final CannedPlanner planner = new CannedPlanner();

    @AfterEach
    void stop() {
        planner.close();
    }

    private Run.Result start(String token) {
        Run run = new Run().env("STEPWISE_URL", planner.url());
        if (token != null) {
            run.env("STEPWISE_TOKEN", token);
        }
        return run.run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "fleet=demo");
    }

    @Test
    void anInvalidRequestExitsThreeWithTheProblemOnStderr() {
        planner.on("POST /api/v1/rollouts", 400, Canned.PROBLEM_400);

        Run.Result r = start("t");

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                stepwise: 400 Invalid request
                stepwise: product: 'mongodb' is not a product Stepwise knows: weaviate or pachyderm
                """);
    }

    @Test
    void eachBadFieldHasALineOfItsOwn() {
        planner.on("POST /api/v1/clusters/batch", 400, Canned.PROBLEM_400_TWO);

        Run.Result file = importOne();
        assertThat(file.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(file.err().lines()).containsExactly("stepwise: 400 Invalid request",
                "stepwise: 2 fields are invalid: id: 'Prod EU 1' must be 1–63 lower-case letters; nodes: must be"
                        + " between 1 and 1000",
                "stepwise:   id: 'Prod EU 1' must be 1–63 lower-case letters",
                "stepwise:   nodes: must be between 1 and 1000");
    }

    private Run.Result importOne() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("cluster", ".json");
            java.nio.file.Files.writeString(file, "{\"id\": \"Prod EU 1\", \"product\": \"weaviate\", \"nodes\": 0}");
            return new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t")
                    .run("clusters", "import", file.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingTokenIsOneLineAndExitsThree() {
        planner.on("POST /api/v1/rollouts", 401, Canned.PROBLEM_401);

        Run.Result r = start(null);

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("stepwise: no token: the planner at " + planner.url() + " needs one (401)")
                .contains("--token-file", "STEPWISE_TOKEN");
        assertThat(planner.requests.get(0).authorization()).isNull();
    }

    @Test
    void aRefusedTokenSaysWhyAndIsNeverPrinted() {
        planner.on("POST /api/v1/rollouts", 401, Canned.PROBLEM_401_REFUSED);

        Run.Result r = start("expired.token.value");

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("401 Unauthorized", "the bearer token was refused").doesNotContain("expired.token");
        assertThat(planner.requests.get(0).authorization()).isEqualTo("Bearer expired.token.value");
    }

    @Test
    void aForbiddenRequestNamesTheRoleNeeded() {
        planner.on("POST /api/v1/rollouts", 403, Canned.PROBLEM_403);

        Run.Result r = start("viewer.token");

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).isEqualTo("""
                stepwise: 403 Forbidden
                stepwise: this endpoint needs the role 'operator'; your token has the role(s) viewer
                """);
    }

    @Test
    void everyOther4xxIsARefusalToo() {
        planner.on("POST /api/v1/rollouts", 409, Canned.PROBLEM_409_BUSY);
        Run.Result busy = start("t");
        assertThat(busy.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(busy.err()).contains("409 Clusters busy").contains("demo-a is held by rollout 77aa");

        planner.on("POST /api/v1/rollouts", 422, Canned.PROBLEM_422);
        assertThat(start("t").exitCode()).isEqualTo(Exit.REFUSED);

        Run.Result unknown = new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t")
                .run("rollout", "get", Canned.ID);
        assertThat(unknown.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(unknown.err()).contains("404", "no resource at this path");
    }

    @Test
    void aFailingPlannerExitsFour() {
        planner.on("POST /api/v1/rollouts", 500, Canned.PROBLEM_500);

        Run.Result r = start("t");

        assertThat(r.exitCode()).isEqualTo(Exit.UNAVAILABLE);
        assertThat(r.err()).contains("500 Internal error", "quote reference 0f7e");
    }

    @Test
    void somethingThatIsNotThePlannerExitsFour() {
        planner.on("GET /api/v1/rollouts", CannedPlanner.json(200, "text/html", "<html>login</html>"));
        planner.on("GET /api/v1/clusters", CannedPlanner.json(502, "text/html", "<html>Bad gateway</html>"));

        Run.Result html = new Run().env("STEPWISE_URL", planner.url()).run("rollout", "list");
        Run.Result gateway = new Run().env("STEPWISE_URL", planner.url()).run("clusters", "list");

        assertThat(html.exitCode()).isEqualTo(Exit.UNAVAILABLE);
        assertThat(html.err()).contains("not JSON (text/html)");
        assertThat(gateway.exitCode()).isEqualTo(Exit.UNAVAILABLE);
        assertThat(gateway.err()).contains("502 from the planner at " + planner.url() + ": <html>Bad gateway</html>");
    }

    @Test
    void anUnreachablePlannerExitsFourInOneLine() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        Run.Result r = new Run().run("--server", "http://localhost:" + port, "rollout", "list");

        assertThat(r.exitCode()).isEqualTo(Exit.UNAVAILABLE);
        assertThat(r.err()).isEqualTo("stepwise: cannot reach the planner at http://localhost:" + port
                + ": connection refused (is it running? ./stepwise up starts the local stack)\n");
    }

    @Test
    void aBrokenAuditChainExitsFive() {
        planner.on("GET /api/v1/rollouts/" + Canned.ID + "/audit/verify", 200,
                "{\"valid\": false, \"entries\": 12, \"brokenAt\": 7, \"reason\": \"hash does not match\"}");

        Run.Result r = new Run().env("STEPWISE_URL", planner.url()).run("audit", Canned.ID, "--verify");

        assertThat(r.exitCode()).isEqualTo(Exit.AUDIT_BROKEN);
        assertThat(r.out()).contains("BROKEN at entry 7: hash does not match");
    }

    @Test
    void anIntactAuditChainExitsZero() {
        planner.on("GET /api/v1/rollouts/" + Canned.ID + "/audit/verify", 200,
                "{\"valid\": true, \"entries\": 12, \"brokenAt\": null, \"reason\": null}");

        Run.Result r = new Run().env("STEPWISE_URL", planner.url()).run("audit", Canned.ID, "--verify");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("checks out: 12 entries");
    }
}
