package io.stepwise.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.catalog.CatalogFiles;
import io.stepwise.planner.catalog.ReleaseLine;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semver4j.Semver;

/**
 * Property-style check over random (current, target) pairs from the catalog: whatever the pair, a plan
 * starts with BACKUP, never skips a minor, gates every hop to 1.26+ with a SYNC_CHECK (Weaviate), verifies
 * every hop (a Pachyderm DEPLOY right after its RESTORE), never lands on a blocked patch, restores only backups it took, and ends at the target.
 */
class PlanInvariantsTest {

    private static final int SAMPLES = 4000;

    @ParameterizedTest
    @EnumSource(Product.class)
    void everyPlanKeepsTheInvariants(Product product) {
        VersionCatalog catalog = CatalogFiles.builtIn(product);
        List<Semver> versions = allVersions(catalog);
        Random random = new Random(20261122L + product.ordinal());
        int plans = 0;
        for (int i = 0; i < SAMPLES; i++) {
            Semver current = versions.get(random.nextInt(versions.size()));
            String target = randomTarget(random, versions, catalog);
            int nodes = 1 + random.nextInt(5);
            DeploymentKind deployment = DeploymentKind.values()[random.nextInt(DeploymentKind.values().length)];
            ClusterFacts cluster = new ClusterFacts("c" + i, product, current.getVersion(), nodes, deployment, null);

            PlanOutcome outcome = RuleTables.ENGINE.plan(cluster, product, TargetVersion.parse(target).orElseThrow(),
                    catalog, PlanningPolicy.DEFAULT, null);

            if (outcome instanceof Refusal refusal) {
                assertThat(refusal.message()).as("refusal of %s → %s", current, target).isNotBlank();
                continue;
            }
            plans++;
            checkInvariants((Plan) outcome, current, target, catalog);
        }
        // a guard against a vacuous run: Pachyderm refuses downgrades and 1.x → 2.x, about two pairs in three
        assertThat(plans).as("enough random pairs are plannable").isGreaterThan(SAMPLES / 4);
    }

    private static void checkInvariants(Plan plan, Semver current, String target, VersionCatalog catalog) {
        String what = plan.product().id() + " " + current + " → " + target + ": " + RuleTables.described(plan);
        List<PlannedStep> steps = plan.steps();
        if (TargetVersion.parse(target).orElseThrow().exact() != null) {
            assertThat(plan.toVersion()).as(what).isEqualTo(Versions.parse(target).orElseThrow().getVersion());
        }
        if (plan.alreadyAtTarget()) {
            assertThat(plan.toVersion()).as(what).isEqualTo(current.getVersion());
            return;
        }
        assertThat(steps.get(0).kind()).as(what).isEqualTo(StepKind.BACKUP);

        Semver previous = current;
        Set<Object> backupsTaken = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            PlannedStep step = steps.get(i);
            assertThat(step.seq()).as(what).isEqualTo(i + 1);
            if (step.kind() == StepKind.BACKUP || step.kind() == StepKind.EXTRACT) {
                backupsTaken.add(step.params().get("backupId"));
            }
            if (step.kind() == StepKind.RESTORE) {
                assertThat(backupsTaken).as(what).contains(step.params().get("backupId"));
            }
            if (!step.kind().isHop()) {
                continue;
            }
            Semver hop = Versions.parse(step.toVersion()).orElseThrow();
            assertThat(hop.getMajor()).as(what).isEqualTo(previous.getMajor());
            assertThat(Math.abs(hop.getMinor() - previous.getMinor())).as("never skips a minor: " + what)
                    .isLessThanOrEqualTo(1);
            assertThat(catalog.isBlocked(hop)).as("lands on a blocked patch: " + what).isFalse();
            if (plan.product() == Product.WEAVIATE && hop.isGreaterThanOrEqualTo(Semver.of(1, 26, 0))) {
                assertThat(steps.get(i - 1).kind()).as("SYNC_CHECK before " + hop + ": " + what)
                        .isEqualTo(StepKind.SYNC_CHECK);
            }
            // P3: a Pachyderm DEPLOY is verified once its metadata is restored
            int next = step.kind() == StepKind.DEPLOY ? i + 2 : i + 1;
            assertThat(next).as(what).isLessThan(steps.size());
            assertThat(steps.get(next).kind()).as("VERIFY after " + hop + ": " + what).isEqualTo(StepKind.VERIFY);
            assertThat(steps.get(next).toVersion()).as(what).isEqualTo(step.toVersion());
            previous = hop;
        }
        assertThat(previous.getVersion()).as("ends at the target: " + what).isEqualTo(plan.toVersion());
    }

    private static List<Semver> allVersions(VersionCatalog catalog) {
        List<Semver> versions = new ArrayList<>();
        for (ReleaseLine line : catalog.lines()) {
            for (int patch = line.firstPatch(); patch <= line.latestPatch(); patch++) {
                versions.add(line.patch(patch));
            }
        }
        return versions;
    }

    private static String randomTarget(Random random, List<Semver> versions, VersionCatalog catalog) {
        int form = random.nextInt(10);
        if (form == 0) {
            return "latest";
        }
        if (form < 4) {
            ReleaseLine line = catalog.lines().get(random.nextInt(catalog.lines().size()));
            return line.name();
        }
        return versions.get(random.nextInt(versions.size())).getVersion();
    }
}
