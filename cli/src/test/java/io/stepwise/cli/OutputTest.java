package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables for people, the planner's own documents for --output json and yaml. */
class OutputTest {

    private final CannedPlanner planner = new CannedPlanner()
            .on("GET /api/v1/clusters", 200, Canned.CLUSTERS)
            .on("POST /api/v1/plans/preview", 200, Canned.PREVIEW)
            .on("GET /api/v1/rollouts/" + Canned.ID + "/audit", 200, Canned.AUDIT)
            .on("POST /api/v1/clusters/batch", 200, "{\"created\": 2, \"replaced\": 1}");

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        planner.close();
    }

    private Run.Result run(String... args) {
        return new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t").run(args);
    }

    @Test
    void tablesAlignTheirColumns() {
        Table table = new Table("ID", "STATE", "MESSAGE").row("a", "RUNNING", "x").row("long-id", null, "");

        assertThat(table.lines("")).containsExactly(
                "ID       STATE    MESSAGE",
                "a        RUNNING  x",
                "long-id  -        -");
    }

    @Test
    void clustersListIsATableWithTheCountOfTheRest() {
        Run.Result r = run("clusters", "list", "--selector", "env=prod,region in (eu,us)", "--size", "2");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID         PRODUCT    VERSION  NODES  DEPLOYMENT  LABELS
                prod-eu-1  weaviate   1.29.3   3      kubernetes  env=prod,region=eu
                p-1        pachyderm  2.11.2   -      command     -
                Clusters 1-2 of 3 (--page 1 for more).
                """);
        assertThat(planner.requests.get(0).query()).isEqualTo("page=0&size=2&selector=env=prod,region in (eu,us)");
    }

    @Test
    void jsonIsThePlannersAnswerAndYamlTheSame() throws Exception {
        Run.Result json = run("clusters", "list", "-o", "json");
        Run.Result yaml = run("clusters", "list", "-o", "yaml");

        assertThat(json.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(json.out())).isEqualTo(Json.MAPPER.readTree(Canned.CLUSTERS));
        assertThat(yaml.out()).startsWith("items:").contains("- id: prod-eu-1").contains("version: 1.29.3")
                .contains("postgresVersion: \"15\""); // a version YAML would read as a number is quoted
        assertThat(Json.yaml().readTree(yaml.out())).isEqualTo(Json.MAPPER.readTree(Canned.CLUSTERS));
    }

    @Test
    void clustersGetShowsEachField() {
        planner.on("GET /api/v1/clusters/prod-eu-1", 200, """
                {"id": "prod-eu-1", "product": "weaviate", "version": "1.29.3", "nodes": 3, "labels": {"env": "prod"},
                 "extra": {}, "postgresVersion": null}""");

        Run.Result r = run("clusters", "get", "prod-eu-1");

        assertThat(r.out()).isEqualTo("""
                id               prod-eu-1
                product          weaviate
                version          1.29.3
                nodes            3
                labels           env=prod
                extra            -
                postgresVersion  -
                """);
    }

    @Test
    void planShowsPathsAndRefusalsAndExplainEveryStepWithItsRule() throws Exception {
        Run.Result plan = run("plan", "--product", "weaviate", "--target", "1.30", "--selector", "fleet=demo");
        Run.Result explain = run("plan", "--product", "weaviate", "--target", "1.30", "--selector", "fleet=demo",
                "--explain");

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).isEqualTo("""
                CLUSTER  FROM     TO       PATH               STEPS
                a        1.29.3   1.30.23  1.30.23            4
                c        1.30.23  1.30.23  already at target  0

                1 cluster(s) cannot be planned:
                  CLUSTER  CODE              REASON
                  b        PRODUCT_MISMATCH  cluster b runs pachyderm, but the request upgrades weaviate: plan it with\
                 product 'pachyderm' instead

                2 cluster(s) planned (4 steps), 1 refused. --explain shows every step with its rule and reason.
                """);
        assertThat(planner.requests.get(0).query()).isEqualTo("view=summary");
        assertThat(Json.MAPPER.readTree(planner.requests.get(0).body())).isEqualTo(Json.MAPPER.readTree(
                "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=demo\"}"));
        assertThat(explain.out()).contains("""
                a: 1.29.3 → 1.30.23 in 1 hop via 1.30.23 (4 steps)
                  #  STEP        TO       RULE  SEGMENT  REASON
                  1  BACKUP      -        W3    -        Back up the whole cluster on 1.29.3 before changing its version,\
                 as the vendor requires.
                  2  SYNC_CHECK  -        W7    -        Before moving to 1.30.23, wait until all 3 nodes report statistics.
                  3  UPGRADE     1.30.23  W2    -        Last hop: upgrade to the target 1.30.23 exactly.
                """);
        assertThat(planner.requests.get(1).query()).isEqualTo("view=full");
    }

    @Test
    void importTakesOneClusterAListOrAnObjectOfClustersInJsonOrYaml() throws Exception {
        Path one = Files.writeString(dir.resolve("one.json"), "{\"id\": \"a\", \"product\": \"weaviate\"}");
        Path list = Files.writeString(dir.resolve("list.yaml"), """
                - id: a
                  product: weaviate
                  labels: {env: prod}
                - id: b
                  product: pachyderm
                """);
        Path wrapped = Files.writeString(dir.resolve("fleet"), "clusters:\n  - id: c\n    product: weaviate\n");

        Run.Result r = run("clusters", "import", one.toString());
        run("clusters", "import", list.toString());
        run("clusters", "import", wrapped.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Imported 3 cluster(s) from " + one + ": 2 created, 1 replaced.\n");
        var sent = planner.requests("POST /api/v1/clusters/batch").stream().map(req -> {
            try {
                return Json.MAPPER.readTree(req.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(sent.get(0)).isEqualTo(Json.MAPPER.readTree(
                "{\"clusters\": [{\"id\": \"a\", \"product\": \"weaviate\"}]}"));
        assertThat(sent.get(1)).isEqualTo(Json.MAPPER.readTree("{\"clusters\": [{\"id\": \"a\", \"product\": \"weaviate\","
                + " \"labels\": {\"env\": \"prod\"}}, {\"id\": \"b\", \"product\": \"pachyderm\"}]}"));
        assertThat(sent.get(2).path("clusters").get(0).path("id").asText()).isEqualTo("c");
    }

    @Test
    void anImportFileThatCannotBeReadIsAUsageErrorAndSendsNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"id\": ");
        Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "just text\n");

        assertThat(run("clusters", "import", dir.resolve("missing.json").toString()).err()).contains("no file");
        assertThat(run("clusters", "import", bad.toString()).exitCode()).isEqualTo(Exit.USAGE);
        assertThat(run("clusters", "import", scalar.toString()).err()).contains("holds no clusters");
        Path number = Files.writeString(dir.resolve("number.yaml"), "- id: a\n  product: weaviate\n  version: 1.30\n");
        Run.Result unquoted = run("clusters", "import", number.toString());
        assertThat(unquoted.exitCode()).isEqualTo(Exit.USAGE);
        assertThat(unquoted.err()).contains("clusters[0].version is the number 1.3, not a version: quote it");
        assertThat(planner.requests).isEmpty();
    }

    @Test
    void auditIsATableOfEntries() {
        Run.Result r = run("audit", Canned.ID);

        assertThat(r.out()).isEqualTo("""
                SEQ  AT                    ACTOR           TYPE             CLUSTER  STEP  DETAILS
                1    2025-06-02 09:14:03Z  local-operator  rollout.created  -        -     {"clusters":2}
                2    2025-06-02 09:14:05Z  executor        step.succeeded   demo-a   1     {"message":"backup done"}
                """);
    }

    @Test
    void recoveryShowsEachWayBackWithItsRuleStepsAndTheRequestThatStartsIt() {
        planner.on("GET /api/v1/rollouts/" + Canned.ID + "/clusters/demo-b/recovery", 200, Canned.RECOVERY);

        Run.Result r = run("recovery", Canned.ID, "demo-b");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                Cluster demo-b FAILED in rollout %s at step 6 UPGRADE 1.30.23: pods not ready
                now 1.29.11 (last verified); before the rollout 1.28.5; pre-upgrade backup sw-demo-b-1a2b3c4d5e-1 \
                SUCCEEDED (step 1).

                DOWNGRADE to 1.28.5: allowed (W10)
                  Go back from 1.29.11 to 1.28.5 one minor at a time (W9).
                  #  STEP       TO      RULE  REASON
                  1  BACKUP     -       W3    Back up.
                  2  DOWNGRADE  1.28.5  W9    Last hop.
                  3  VERIFY     1.28.5  W8    Check.
                  Start it: POST /api/v1/rollouts {"product":"weaviate","targetVersion":"1.28.5",\
                "clusterIds":["demo-b"]}
                    or: stepwise rollout start --product weaviate --target 1.28.5 --cluster demo-b

                RESTORE_BACKUP to 1.28.5: not allowed (W4)
                  restoring a backup on 1.28.5 can store data wrongly
                """.formatted(Canned.ID));
        assertThat(run("recovery", Canned.ID, "demo-b", "-o", "json").out()).contains("\"rolloutEnded\" : true");
    }

    @Test
    void rolloutGetShowsEveryClustersStep() {
        planner.on("GET /api/v1/rollouts/" + Canned.ID, 200, Canned.failingWatch()[1]);

        Run.Result r = run("rollout", "get", Canned.ID);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Rollout " + Canned.ID + "  weaviate -> 1.30  RUNNING")
                .contains("wave all: 1/2 ended (1 succeeded, 1 running)")
                .contains("demo-b   all   RUNNING    1.29.3  1.30.23  2/3 UPGRADE  restarting weaviate-0 on 1.30.23");
    }

    @Test
    void outputJsonOfAStartedRolloutIsItsSummary() throws Exception {
        planner.on("POST /api/v1/rollouts", 202, Canned.STARTED);

        Run.Result r = run("rollout", "start", "--product", "weaviate", "--target", "1.30", "--selector", "x=y",
                "-o", "json");

        JsonNode answer = Json.MAPPER.readTree(r.out());
        assertThat(answer.path("id").asText()).isEqualTo(Canned.ID);
        assertThat(answer.path("state").asText()).isEqualTo("PENDING");
    }
}
