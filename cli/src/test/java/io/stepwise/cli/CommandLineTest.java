package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the command line accepts, what it sends for it, and how it refuses what it cannot take (exit 2). */
class CommandLineTest {

    private final CannedPlanner planner = new CannedPlanner()
            .on("POST /api/v1/rollouts", 202, Canned.STARTED);

    @AfterEach
    void stop() {
        planner.close();
    }

    private Run.Result run(String... args) {
        return new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t0ken").run(args);
    }

    @Test
    void rolloutStartSendsTheRequestTheApiTakes() throws Exception {
        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "fleet=demo",
                "--max-parallel", "10", "--max-failed", "2", "--wave", "canary:ring=canary:pause",
                "--wave", "eu:region in (eu,uk)", "--skip-busy", "--no-probe", "--idempotency-key", "demo-1");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        CannedPlanner.Request sent = planner.requests("POST /api/v1/rollouts").get(0);
        assertThat(sent.query()).isEqualTo("view=summary");
        assertThat(sent.idempotencyKey()).isEqualTo("demo-1");
        assertThat(Json.MAPPER.readTree(sent.body())).isEqualTo(Json.MAPPER.readTree("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=demo",
                 "strategy": {"maxParallel": 10, "failurePolicy": {"maxFailedClusters": 2},
                              "waves": [{"name": "canary", "selector": "ring=canary", "pauseAfter": true},
                                        {"name": "eu", "selector": "region in (eu,uk)"}]},
                 "busyClusters": "skip", "probe": false}"""));
        assertThat(r.out()).contains("Rollout " + Canned.ID + " started: weaviate to 1.30, 2 cluster(s), PENDING")
                .contains("stepwise rollout watch " + Canned.ID);
    }

    @Test
    void clustersByIdAndTheSafeDefaultsLeftToThePlanner() throws Exception {
        Run.Result r = run("rollout", "start", "--product", "pachyderm", "--target", "latest", "--cluster", "a,b",
                "--cluster", "c");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode body = Json.MAPPER.readTree(planner.requests("POST /api/v1/rollouts").get(0).body());
        assertThat(body).isEqualTo(Json.MAPPER.readTree("""
                {"product": "pachyderm", "targetVersion": "latest", "clusterIds": ["a", "b", "c"]}"""));
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        Run.Result before = new Run().env("STEPWISE_TOKEN", "t").run("--server", planner.url(), "-o", "json",
                "rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "fleet=demo");
        Run.Result after = new Run().env("STEPWISE_TOKEN", "t").run("rollout", "start", "--product", "weaviate",
                "--target", "1.30", "--selector", "fleet=demo", "--output", "JSON", "--server", planner.url());

        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(before.out()).isEqualTo(after.out()).startsWith("{");
    }

    @Test
    void theLastOfAnOptionGivenTwiceWins() {
        Run.Result r = run("--server", "http://localhost:1", "rollout", "start", "--product", "weaviate",
                "--target", "1.30", "--selector", "fleet=demo", "--server", planner.url());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(planner.requests).hasSize(1);
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Run.Result r = run("rollout", "start", "--target", "1.30", "--selector", "fleet=demo");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--product=<product>'").contains("Usage:");
        assertThat(planner.requests).isEmpty();
    }

    @Test
    void noClustersChosenIsAUsageError() {
        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("choose the clusters: --selector or --cluster");
        assertThat(planner.requests).isEmpty();
    }

    @Test
    void aWaveThatIsNotNameAndSelectorIsAUsageError() {
        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "x=y",
                "--wave", "canary");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--wave 'canary' is not NAME:SELECTOR");
    }

    @Test
    void unknownOutputFormatsCommandsAndOptionsAreUsageErrors() {
        assertThat(run("clusters", "list", "-o", "xml").exitCode()).isEqualTo(2);
        assertThat(run("clusters", "delete", "x").exitCode()).isEqualTo(2);
        assertThat(run("rollout", "list", "--colour").exitCode()).isEqualTo(2);
        assertThat(run("rollout").exitCode()).isEqualTo(2);
        assertThat(run("rollout", "approve", Canned.ID).exitCode()).as("approve needs the cluster too").isEqualTo(2);
        assertThat(planner.requests).isEmpty();
    }

    @Test
    void helpAndVersionExitZeroAndNameEveryCommand() {
        Run.Result help = run("--help");
        Run.Result nothing = run();

        assertThat(help.exitCode()).isZero();
        assertThat(nothing.exitCode()).isZero();
        assertThat(help.out()).isEqualTo(nothing.out())
                .contains("up", "clusters", "plan", "rollout", "audit", "Exit codes:", "STEPWISE_URL");
        assertThat(run("rollout", "watch", "--help").out()).contains("Usage: stepwise rollout watch");
        assertThat(run("--version").exitCode()).isZero();
    }

    @Test
    void upThroughTheJarSaysWhereItLives() {
        Run.Result r = run("up", "--no-demo-fleet");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("./stepwise up");
    }

    @Test
    void actionsPostToTheRolloutAndClusterPaths() {
        planner.on("POST /api/v1/rollouts/" + Canned.ID + "/pause", 200,
                        Canned.rollout("PAUSED", false, Canned.counts("RUNNING", 1, "WAITING", 1), null))
                .on("POST /api/v1/rollouts/" + Canned.ID + "/clusters/demo-b/retry", 200,
                        Canned.rollout("RUNNING", false, Canned.counts("SUCCEEDED", 1, "RUNNING", 1), null));

        Run.Result pause = run("rollout", "pause", Canned.ID);
        Run.Result retry = run("rollout", "retry", Canned.ID, "demo-b");

        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        assertThat(pause.out()).contains("Rollout " + Canned.ID + " is PAUSED (1 running, 1 waiting)");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("is RUNNING (1 succeeded, 1 running)");
        assertThat(planner.requests("POST /api/v1/rollouts/" + Canned.ID + "/pause").get(0).query())
                .isEqualTo("view=summary");
    }
}
