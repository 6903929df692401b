package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch stream read, drawn and followed to the rollout's end, across a broken connection too. */
class WatchTest {

    private static final String WATCH = "GET /api/v1/rollouts/" + Canned.ID + "/watch";
    private final CannedPlanner planner = new CannedPlanner();

    @AfterEach
    void stop() {
        planner.close();
    }

    private Run.Result run(String... args) {
        return new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t").run(args);
    }

    @Test
    void sseEventsAreTheirDataLinesUpToABlankLine() throws Exception {
        String stream = ": a comment\n"
                + "data:{\"a\":1}\n\n"
                + "event: message\r\nid: 7\r\ndata: {\"b\":\r\ndata: 2}\r\n\r\n"
                + "retry: 1000\n\n"
                + "data:{\"unfinished\":true}";
        try (Sse sse = new Sse(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(sse.next()).isEqualTo("{\"a\":1}");
            assertThat(sse.next()).isEqualTo("{\"b\":\n2}");
            assertThat(sse.next()).as("an event not ended by a blank line is dropped").isNull();
        }
    }

    @Test
    void aWatchFollowsTheRolloutToItsEndAndExitsZero() {
        planner.on(WATCH, CannedPlanner.events(Canned.succeedingWatch()));

        Run.Result r = run("rollout", "watch", Canned.ID);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines().map(WatchTest::withoutElapsed)).containsExactly(
                "+T RUNNING [--------------------] 0/2 clusters ended (1 running, 1 waiting)",
                "+T RUNNING [##########----------] 1/2 clusters ended (1 succeeded, 1 running)",
                "+1:02 SUCCEEDED [####################] 2/2 clusters ended (2 succeeded)",
                "Rollout " + Canned.ID + " SUCCEEDED after 1:02: 2 succeeded.");
        assertThat(planner.requests(WATCH).get(0).authorization()).isEqualTo("Bearer t");
    }

    /** A plain progress line of a running rollout, its elapsed time (from the canned createdAt to now) cut out. */
    private static String withoutElapsed(String line) {
        return line.startsWith("+") && line.contains(" RUNNING ") ? line.replaceFirst("^\\+[0-9:]+ ", "+T ") : line;
    }

    @Test
    void aRolloutThatFailsExitsOneAndNamesTheFailedClusterWithItsError() {
        planner.on(WATCH, CannedPlanner.events(Canned.failingWatch()));

        Run.Result r = run("rollout", "watch", Canned.ID);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.CLUSTERS_FAILED);
        String failure = "demo-b FAILED at step 2/3 UPGRADE: node weaviate-0 did not become ready on 1.30.23 within"
                + " 600 s";
        assertThat(r.out()).contains(failure + "\n+1:02 FAILED [####################] 2/2 clusters ended"
                        + " (1 succeeded, 1 failed)")
                .endsWith("Rollout " + Canned.ID + " FAILED after 1:02: 1 succeeded, 1 failed. 1 cluster(s) failed:"
                        + " the failure policy allows 1\n  " + failure + "\n");
    }

    @Test
    void aBrokenStreamIsOpenedAgainAndTheWatchGoesOn() {
        String[] events = Canned.succeedingWatch();
        AtomicInteger connections = new AtomicInteger();
        planner.on(WATCH, exchange -> {
            if (connections.incrementAndGet() == 1) {
                CannedPlanner.events(true, events[0]).write(exchange);
            } else {
                // a new connection starts with the whole rollout again, as the planner's does
                CannedPlanner.events(events[1].replace("\"clusters\":[", "\"clusters\":["
                        + Canned.cluster("demo-x", "SUCCEEDED", 3, null, null, null) + ","), events[2]).write(exchange);
            }
        });

        Run.Result r = run("rollout", "watch", Canned.ID);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(connections).hasValue(2);
        assertThat(r.out()).contains("watch: the stream broke").contains("reconnecting in 20 ms")
                .contains("SUCCEEDED after 1:02");
    }

    @Test
    void aRefusedWatchIsNotRetried() {
        planner.on(WATCH, 404, Canned.PROBLEM_404);

        Run.Result r = run("rollout", "watch", Canned.ID);

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("no rollout '" + Canned.ID + "'");
        assertThat(planner.requests(WATCH)).hasSize(1);
    }

    @Test
    void outputJsonPrintsEachEventAsOneLineOfJson() throws Exception {
        planner.on(WATCH, CannedPlanner.events(Canned.failingWatch()));

        Run.Result r = run("rollout", "watch", Canned.ID, "-o", "json");

        assertThat(r.exitCode()).isEqualTo(Exit.CLUSTERS_FAILED);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(Json.MAPPER.readTree(line).path("id").asText()).isEqualTo(Canned.ID);
        }
        assertThat(Json.MAPPER.readTree(lines.get(2)).path("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void startWaitPrintsTheStartThenFollowsTheRollout() {
        planner.on("POST /api/v1/rollouts", 202, Canned.STARTED).on(WATCH, CannedPlanner.events(Canned.failingWatch()));

        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector",
                "fleet=demo", "--wait");

        assertThat(r.exitCode()).isEqualTo(Exit.CLUSTERS_FAILED);
        assertThat(r.out()).startsWith("Rollout " + Canned.ID + " started: weaviate to 1.30, 2 cluster(s), PENDING")
                .contains("[##########----------] 1/2 clusters ended").contains("FAILED after 1:02");
    }

    @Test
    void startWaitWithJsonOutputKeepsStdoutForTheEndedRollout() throws Exception {
        planner.on("POST /api/v1/rollouts", 202, Canned.STARTED).on(WATCH, CannedPlanner.events(Canned.succeedingWatch()))
                .on("GET /api/v1/rollouts/" + Canned.ID, 200,
                        Canned.rollout("SUCCEEDED", true, Canned.counts("SUCCEEDED", 2), (ObjectNode[]) null));

        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector",
                "fleet=demo", "--wait", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode ended = Json.MAPPER.readTree(r.out());
        assertThat(ended.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.err()).contains("2/2 clusters ended");
        assertThat(planner.requests("GET /api/v1/rollouts/" + Canned.ID).get(0).query()).isEqualTo("view=summary");
    }

    @Test
    void plainLinesAreThrottledButNeverSkipAChangeOfState() {
        planner.on(WATCH, CannedPlanner.events(Canned.succeedingWatch()));

        Run.Result r = new Run().env("STEPWISE_URL", planner.url()).plainInterval(Duration.ofHours(1))
                .run("rollout", "watch", Canned.ID);

        assertThat(r.out().lines().filter(l -> l.startsWith("+"))).hasSize(2)
                .allSatisfy(l -> assertThat(l).containsAnyOf("0/2", "2/2 clusters ended (2 succeeded)"));
    }

    @Test
    void aHugeRolloutDrawsItsWavesAndAFewClustersAtWorkNotEveryCluster() {
        List<ObjectNode> clusters = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String state = i < 4_000 ? "SUCCEEDED" : i < 4_100 ? "RUNNING" : "WAITING";
            clusters.add(Canned.cluster("c-" + i, state, state.equals("SUCCEEDED") ? 3 : state.equals("RUNNING")
                    ? 1 : 0, state.equals("RUNNING") ? "RUNNING" : null, "restarting", null));
        }
        RolloutProgress p = new RolloutProgress();
        p.apply(Json.MAPPER.valueToTree(readTree(Canned.rollout("RUNNING", false,
                Canned.counts("SUCCEEDED", 4_000, "RUNNING", 100, "WAITING", 5_900),
                clusters.toArray(ObjectNode[]::new)))), true);
        ProgressView.Pace pace = new ProgressView.Pace();
        Instant start = Instant.parse("2025-06-02T09:20:00Z");
        pace.observe(p, start);

        List<String> lines = ProgressView.lines(p, pace, start, 10);

        assertThat(lines).hasSize(1 + 1 + 10 + 1);
        assertThat(lines.get(1)).isEqualTo("  all  [########------------] 4000/10000  4000 succeeded, 100 running,"
                + " 5900 waiting");
        assertThat(lines.get(2)).isEqualTo("    c-4000  [###-------] 1/3  UPGRADE 1.30.23  restarting");
        assertThat(lines.get(12)).isEqualTo("    … 90 more at work");
        assertThat(lines.get(0)).endsWith("ETA -");
    }

    @Test
    void theEtaFollowsThePaceOfTheStepsSinceTheWatchBegan() {
        RolloutProgress p = new RolloutProgress();
        p.apply(readTree(Canned.succeedingWatch()[0]), true);
        ProgressView.Pace pace = new ProgressView.Pace();
        Instant start = Instant.parse("2025-06-02T09:20:00Z");
        pace.observe(p, start);
        p.apply(readTree(Canned.succeedingWatch()[1]), false);

        // 4 steps done in 40 s (a's three, b's backup); b has 2 left: 20 s
        assertThat(pace.eta(p, start.plusSeconds(40))).isEqualTo(Duration.ofSeconds(20));
        assertThat(ProgressView.header(p, pace, start.plusSeconds(40))).endsWith("ETA 0:20");
    }

    @Test
    void onATerminalThePictureIsRedrawnInPlace() {
        planner.on(WATCH, CannedPlanner.events(Canned.failingWatch()));

        Run.Result r = new Run().env("STEPWISE_URL", planner.url()).env("NO_COLOR", "1").terminal()
                .run("rollout", "watch", Canned.ID);

        assertThat(r.exitCode()).isEqualTo(Exit.CLUSTERS_FAILED);
        assertThat(r.out()).contains("\033[3A\r\033[J").contains("  all  [##########----------] 1/2  1 succeeded,"
                + " 1 running").contains("    demo-b  [###-------] 1/3  UPGRADE 1.30.23  restarting weaviate-0")
                .doesNotContain("\033[31m");
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
