package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strategies on the command line: what start sends for soaks, gates and schedules, and what get and the others show. */
class StrategyCommandsTest {

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
    void startSendsSoaksGatesPercentagesAndASchedule() throws Exception {
        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "env=prod",
                "--wave", "canary:ring=0", "--wave", "rest:ring!=0", "--soak", "canary=PT24H", "--wave-limit",
                "rest=10%", "--gate", "after:canary", "--start-at", "2026-12-24T22:00:00Z", "--follow-selector");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(planner.requests("POST /api/v1/rollouts").get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "env=prod",
                 "strategy": {"waves": [{"name": "canary", "selector": "ring=0", "waitAfter": "PT24H"},
                                        {"name": "rest", "selector": "ring!=0", "maxParallel": "10%"}],
                              "gates": [{"when": "after", "wave": "canary"}]},
                 "startAt": "2026-12-24T22:00:00Z", "followSelector": true}"""));
    }

    @Test
    void aSavedStrategyIsNamedAloneAndASoakMustNameAWave() throws Exception {
        Run.Result named = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "a=b",
                "--strategy", "canary-first");
        assertThat(named.exitCode()).as(named.toString()).isZero();
        assertThat(Json.MAPPER.readTree(planner.requests("POST /api/v1/rollouts").get(0).body()).path("strategyName")
                .asText()).isEqualTo("canary-first");

        Run.Result both = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "a=b",
                "--strategy", "canary-first", "--max-parallel", "3");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--strategy names a saved strategy");

        Run.Result noWave = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "a=b",
                "--wave", "canary:ring=0", "--soak", "nope=PT1H");
        assertThat(noWave.exitCode()).isEqualTo(2);
        assertThat(noWave.err()).contains("--soak 'nope=PT1H'");
        Run.Result badGate = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "a=b",
                "--gate", "during:canary");
        assertThat(badGate.exitCode()).isEqualTo(2);
        assertThat(badGate.err()).contains("--gate 'during:canary'");
    }

    @Test
    void getShowsTheGateASoakCountdownAndTheWavesRules() throws Exception {
        ObjectNode gated = (ObjectNode) Json.MAPPER.readTree(Canned.rollout("RUNNING", false,
                Canned.counts("SUCCEEDED", 1, "WAITING", 1), (ObjectNode[]) null));
        gated.put("waitingFor", "gate").put("pendingGate", "after:all").put("gateRole", "approver");
        gated.putArray("gates").addObject().put("when", "after").put("wave", "all").put("role", "approver")
                .put("state", "PENDING");
        ((ObjectNode) gated.path("waves").get(0)).put("maxParallel", 2).put("waitAfter", "PT2H");
        planner.on("GET /api/v1/rollouts/" + Canned.ID, 200, gated.toString());
        Run.Result atGate = run("rollout", "get", Canned.ID);
        assertThat(atGate.exitCode()).as(atGate.toString()).isZero();
        assertThat(atGate.out()).contains("waiting at the gate after:all for an approver: stepwise rollout"
                + " approve-gate " + Canned.ID).contains("wave all:").contains("at most 2 at once, soak PT2H,"
                + " gate after (approver, PENDING)");

        Instant until = Instant.now().plus(90, ChronoUnit.MINUTES).plusSeconds(30);
        gated.put("waitingFor", "soak").put("waitUntil", until.toString());
        planner.on("GET /api/v1/rollouts/" + Canned.ID, 200, gated.toString());
        assertThat(run("rollout", "get", Canned.ID).out()).contains("soaking until " + until + " (1 h 30 min left)")
                .contains("stepwise rollout end-wait " + Canned.ID);

        planner.on("POST /api/v1/rollouts/" + Canned.ID + "/gate/approve", 200, gated.toString());
        Run.Result approved = new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t0ken")
                .run("rollout", "approve-gate", Canned.ID);
        assertThat(approved.exitCode()).as(approved.toString()).isZero();
        assertThat(planner.requests("POST /api/v1/rollouts/" + Canned.ID + "/gate/approve")).hasSize(1);
    }

    @Test
    void holdsFreezesAndSavedStrategies(@TempDir Path dir) throws Exception {
        planner.on("PUT /api/v1/clusters/demo-a/hold", 200, """
                        {"id": "demo-a", "product": "weaviate", "holdReason": "audit", "heldBy": "olga",
                         "heldAt": "2026-12-06T10:00:00Z"}""")
                .on("POST /api/v1/freezes", 201, """
                        {"id": "f-1", "from": "2026-12-24T00:00:00Z", "to": "2026-12-27T00:00:00Z",
                         "reason": "holidays", "actor": "root"}""")
                .on("PUT /api/v1/strategies/canary-first", 201, """
                        {"name": "canary-first", "strategy": {"maxParallel": 2}, "actor": "olga",
                         "updatedAt": "2026-12-06T10:00:00Z"}""");

        Run.Result held = run("clusters", "hold", "demo-a", "--reason", "audit");
        assertThat(held.out()).contains("Cluster demo-a is held by olga: audit.");
        assertThat(Json.MAPPER.readTree(planner.requests("PUT /api/v1/clusters/demo-a/hold").get(0).body())
                .path("reason").asText()).isEqualTo("audit");

        Run.Result frozen = run("freezes", "create", "--to", "2026-12-27T00:00:00Z", "--reason", "holidays");
        assertThat(frozen.out()).contains("Freeze f-1: from 2026-12-24T00:00:00Z to 2026-12-27T00:00:00Z (holidays).");

        Path file = dir.resolve("canary.yaml");
        Files.writeString(file, "maxParallel: 2\nwaves:\n  - name: canary\n    selector: ring=0\n    waitAfter: PT2H\n");
        Run.Result saved = run("strategies", "put", "canary-first", file.toString());
        assertThat(saved.exitCode()).as(saved.toString()).isZero();
        assertThat(Json.MAPPER.readTree(planner.requests("PUT /api/v1/strategies/canary-first").get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("""
                        {"maxParallel": 2, "waves": [{"name": "canary", "selector": "ring=0", "waitAfter": "PT2H"}]}"""));
    }
}
