package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.ledger.ViolationRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** pachctl as a real process, the way the executor's Pachyderm driver runs it. */
class PachctlTest {

    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Result run(Path command, String clusterId, Map<String, String> extraEnv, byte[] stdin,
                              String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(command.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(sim.commandEnvironment(clusterId));
        pb.environment().putAll(extraEnv);
        Process process = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pachctl finished").isTrue();
        return new Result(process.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Result pachctl(String clusterId, String... args) throws Exception {
        return run(sim.pachctlCommand(), clusterId, Map.of("STEPWISE_STEP_ID", "step-" + args[0]), null, args);
    }

    @Test
    void migrationFrom19To110WithExtractAndRestoreThroughAnObjectStore() throws Exception {
        sim.createCluster(ClusterSpec.pachyderm("pach-mig", "1.9.12").withCollections(Map.of("images", 3L, "edges", 5L)));

        Result version = pachctl("pach-mig", "version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("COMPONENT", "pachctl             1.9.12", "pachd               1.9.12");

        assertThat(pachctl("pach-mig", "extract", "--no-objects", "-u", "s3://backups/pach-mig").exitCode()).isZero();
        assertThat(pachctl("pach-mig", "undeploy").exitCode()).isZero();
        Result down = pachctl("pach-mig", "version");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.stderr()).contains("pachd", "(version unknown)", "error connecting");

        assertThat(pachctl("pach-mig", "deploy", "local", "--version", "1.10.5").exitCode()).isZero();
        assertThat(sim.pachyderm("pach-mig").repos()).as("migration deploys onto fresh metadata").isEmpty();
        assertThat(pachctl("pach-mig", "restore", "--url", "s3://backups/pach-mig").exitCode()).isZero();
        assertThat(sim.pachyderm("pach-mig").repos()).containsEntry("images", 3L).containsEntry("edges", 5L);

        assertThat(pachctl("pach-mig", "version", "--compare").exitCode()).isZero();
        Result oldClient = run(sim.pachctlCommand(), "pach-mig", Map.of("PACHCTL_VERSION", "1.9.12"), null,
                "version", "--compare");
        assertThat(oldClient.exitCode()).isEqualTo(1);

        assertThat(sim.effects("pach-mig")).extracting(e -> e.type()).containsSubsequence(
                EffectType.EXTRACT, EffectType.UNDEPLOY, EffectType.DEPLOY, EffectType.PACHYDERM_RESTORE);
        assertThat(sim.effects("pach-mig")).filteredOn(e -> e.type() == EffectType.EXTRACT).singleElement()
                .satisfies(e -> {
                    assertThat(e.stepId()).isEqualTo("step-extract");
                    assertThat(e.details()).containsEntry("noObjects", true);
                });
        assertThat(sim.violations("pach-mig")).isEmpty();

        Result again = pachctl("pach-mig", "restore", "-u", "s3://backups/pach-mig");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("not empty");
        assertThat(sim.violations("pach-mig")).extracting(v -> v.rule())
                .containsExactly(ViolationRule.PACHYDERM_RESTORE_INTO_NON_EMPTY_CLUSTER);
    }

    @Test
    void extractToStdoutRestoresFromStdinIntoAnEmptyCluster() throws Exception {
        sim.createCluster(ClusterSpec.pachyderm("pach-src", "1.8.8").withCollections(Map.of("logs", 7L)));
        sim.createCluster(ClusterSpec.pachyderm("pach-dst", "1.8.8").withCollections(Map.of()));
        Result extract = pachctl("pach-src", "extract");
        assertThat(extract.exitCode()).isZero();
        assertThat(extract.stdout()).isNotEmpty();
        Result restore = run(sim.pachctlCommand(), "pach-dst", Map.of(), extract.stdout(), "restore");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(sim.pachyderm("pach-dst").repos()).containsEntry("logs", 7L);
    }

    @Test
    void listCommitShowsALinePerCommitAndLostCommitsAreGone() throws Exception {
        sim.createCluster(ClusterSpec.pachyderm("pach-commits", "1.9.12").withCollections(Map.of("images", 3L)));
        Result commits = pachctl("pach-commits", "list", "commit", "images");
        assertThat(commits.exitCode()).as(commits.stderr()).isZero();
        assertThat(commits.out().lines().toList()).hasSize(4).first().asString().startsWith("REPO");

        assertThat(sim.loseObjects("pach-commits", "images", 2, "step-x")).isEqualTo(1);
        assertThat(pachctl("pach-commits", "list", "commit", "images").out().lines().toList()).hasSize(2);
        Result unknown = pachctl("pach-commits", "list", "commit", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("repo nope not found");
    }

    @Test
    void pachctl2HasNoExtractAndPrintsRawVersions() throws Exception {
        sim.createCluster(ClusterSpec.pachyderm("pach-2", "2.11.6"));
        Result extract = pachctl("pach-2", "extract");
        assertThat(extract.exitCode()).isEqualTo(1);
        assertThat(extract.stderr()).startsWith("Error: unknown command \"extract\" for \"pachctl\"");
        Result raw = pachctl("pach-2", "version", "--raw");
        assertThat(raw.exitCode()).isZero();
        assertThat(raw.out().lines().toList()).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"major\":2", "\"minor\":11", "\"micro\":6"));
        Result clientOnly = pachctl("pach-2", "version", "--client-only");
        assertThat(clientOnly.out()).contains("pachctl").doesNotContain("pachd");
    }

    @Test
    void shippedScriptsRunFromTheModule() throws Exception {
        sim.createCluster(ClusterSpec.pachyderm("pach-bin", "1.13.4"));
        Path classes = Path.of("target/classes").toAbsolutePath();
        Map<String, String> env = new HashMap<>(Map.of("STEPWISE_SIMULATOR_CLASSPATH", classes.toString()));
        Result version = run(Path.of("bin/pachctl").toAbsolutePath(), "pach-bin", env, null, "version");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.out()).contains("1.13.4");

        sim.createCluster(ClusterSpec.weaviate("helm-w", "1.30.23", 1, "docker"));
        env.put("STEPWISE_STEP_ID", "step-helm");
        Result helm = run(Path.of("bin/helm-sim").toAbsolutePath(), "helm-w", env, null,
                "upgrade", "--install", "helm-w", "weaviate/weaviate", "-n", "weaviate", "--reuse-values",
                "--set", "image.tag=1.31.22");
        assertThat(helm.exitCode()).as(helm.stderr()).isZero();
        assertThat(helm.out()).contains("has been upgraded");
        assertThat(sim.weaviate("helm-w").targetVersion()).isEqualTo("1.31.22");
        assertThat(sim.effects("helm-w")).filteredOn(e -> e.type() == EffectType.IMAGE_CHANGED).singleElement()
                .satisfies(e -> assertThat(e.stepId()).isEqualTo("step-helm"));

        Result missingTag = run(sim.helmCommand(), "helm-w", Map.of(), null, "upgrade", "helm-w", "weaviate/weaviate");
        assertThat(missingTag.exitCode()).isEqualTo(1);
        assertThat(missingTag.stderr()).contains("image.tag");
    }
}
