package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.ConflictException;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.RecoveryFacts;
import io.stepwise.planner.rules.RecoveryOption;
import io.stepwise.planner.rules.RecoveryPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.List;

/**
 * The recovery preview of a cluster that failed in a rollout: what the rollout knows of it (the version before, the
 * failed step, the pre-upgrade backup) handed to the product's recovery rules; and the plan of a rollout that
 * starts the restore it previews. Reads only.
 */
@ApplicationScoped
public class RecoveryService {

    private final RolloutRepository rollouts;
    private final RolloutClusterRepository rolloutClusters;
    private final RolloutStepRepository steps;
    private final ClusterRepository inventory;
    private final PlanningService planning;
    private final ObjectMapper json;

    public RecoveryService(RolloutRepository rollouts, RolloutClusterRepository rolloutClusters,
                           RolloutStepRepository steps, ClusterRepository inventory, PlanningService planning,
                           ObjectMapper json) {
        this.rollouts = rollouts;
        this.rolloutClusters = rolloutClusters;
        this.steps = steps;
        this.inventory = inventory;
        this.planning = planning;
        this.json = json;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public RecoveryPreview preview(String rolloutId, String clusterId) {
        Rollout rollout = rolloutId == null ? null : rollouts.findById(rolloutId);
        if (rollout == null) {
            throw new NotFoundException("no rollout '" + rolloutId + "'");
        }
        RolloutCluster planned = clusterId == null ? null : rolloutClusters.find(rolloutId, clusterId);
        if (planned == null) {
            throw new NotFoundException("rollout " + rolloutId + " has no cluster '" + clusterId + "'");
        }
        return recover(rollout, planned, null);
    }

    /**
     * The plan of a rollout that restores a failed cluster's pre-upgrade backup ({@code recoveryOf}): the
     * RESTORE_BACKUP option of its preview, with backup ids of the new rollout's own. Bad references are a 400 naming
     * the field; an option the rules do not allow is a 409 giving the rule and why.
     */
    List<PlanOutcome> plan(StartRollout request, List<Cluster> selected, String newRolloutId) {
        StartRollout.RecoveryOf of = request.recoveryOf();
        Rollout rollout = rollouts.findById(of.rolloutId());
        if (rollout == null) {
            throw InvalidInputException.of("recoveryOf.rolloutId", "no rollout '" + of.rolloutId() + "'");
        }
        RolloutCluster planned = rolloutClusters.find(of.rolloutId(), of.clusterId());
        if (planned == null) {
            throw InvalidInputException.of("recoveryOf.clusterId", "rollout " + of.rolloutId() + " has no cluster '"
                    + of.clusterId() + "'");
        }
        if (selected.size() != 1 || !selected.get(0).id.equals(of.clusterId())) {
            throw InvalidInputException.of("clusterIds", "a recovery names exactly the cluster it recovers: [\""
                    + of.clusterId() + "\"]");
        }
        if (!rollout.product.equals(request.product().id())) {
            throw InvalidInputException.of("product", "rollout " + of.rolloutId() + " upgraded " + rollout.product);
        }
        RecoveryPreview preview = recover(rollout, planned, newRolloutId);
        if (request.target().exact() == null || !request.target().text().equals(preview.versionBefore())) {
            throw InvalidInputException.of("targetVersion", "the recovery of " + of.clusterId() + " goes back to "
                    + preview.versionBefore() + ", the version before rollout " + of.rolloutId() + ": send"
                    + " \"targetVersion\": \"" + preview.versionBefore() + "\"");
        }
        RecoveryOption restore = preview.options().stream()
                .filter(o -> o.kind() == RecoveryOption.Kind.RESTORE_BACKUP).findFirst()
                .orElseThrow(() -> new ConflictException("no restore is known for " + rollout.product));
        if (!restore.allowed()) {
            throw new ConflictException("restoring the pre-upgrade backup of " + of.clusterId() + " is not allowed ("
                    + restore.rule() + "): " + restore.reason());
        }
        return List.of(new Plan(of.clusterId(), preview.product(), preview.version(), preview.versionBefore(),
                restore.steps()));
    }

    private RecoveryPreview recover(Rollout rollout, RolloutCluster planned, String planSalt) {
        String rolloutId = rollout.id;
        String clusterId = planned.clusterId();
        if (planned.state != ClusterPlanState.FAILED) {
            throw new ConflictException("cluster " + clusterId + " is " + planned.state + " in rollout " + rolloutId
                    + ", not FAILED: only a failed cluster has a recovery");
        }
        if (planned.fromVersion == null || Versions.parse(planned.fromVersion).isEmpty()) {
            throw new ConflictException("rollout " + rolloutId + " recorded no version " + clusterId + " ran before it"
                    + " ('" + planned.fromVersion + "'), so there is nothing to plan a way back to");
        }
        Cluster cluster = inventory.findById(clusterId);
        if (cluster == null) {
            throw new NotFoundException("cluster '" + clusterId + "' is no longer registered: register it again to"
                    + " plan its recovery");
        }
        Product product = Product.fromId(rollout.product).orElseThrow();
        List<RolloutStep> plan = steps.list("rolloutId = ?1 and clusterId = ?2 order by seq", rolloutId, clusterId);
        RolloutStep failed = plan.stream().filter(s -> s.state == StepState.FAILED)
                .max(Comparator.comparingInt(s -> s.seq)).orElse(null);
        RolloutStep backupStep = plan.stream().filter(s -> s.kind == StepKind.BACKUP).findFirst().orElse(null);
        RecoveryFacts.Backup backup = backupStep == null ? null : new RecoveryFacts.Backup(backupStep.seq,
                param(backupStep, "backupId"), backendOf(backupStep, cluster), backupStep.state == StepState.SUCCEEDED,
                backupStep.state == StepState.SUCCEEDED ? backupStep.message : backupStep.error);
        RecoveryFacts facts = new RecoveryFacts(PreviewService.facts(cluster), planned.fromVersion, backup);
        RecoveryPlanner.Recovery recovery = planning.recover(facts, product, planSalt);
        return new RecoveryPreview(rolloutId, clusterId, product, cluster.version, planned.fromVersion,
                failed == null ? null : new RecoveryPreview.FailedStep(failed.seq, failed.kind, failed.toVersion,
                        failed.error, failed.errorCode),
                backupStep == null ? null : new RecoveryPreview.Backup(backupStep.seq, backup.backupId(),
                        backup.backend(), backupStep.state.name(), backup.message(), recovery.backupArtefact()),
                rollout.state.isTerminal(), recovery.options());
    }

    /** The backend the executor used: the step's own, else the cluster's {@code extra.backupBackend}; else null. */
    private String backendOf(RolloutStep backup, Cluster cluster) {
        String named = param(backup, "backend");
        return named != null ? named : cluster.extra.get("backupBackend");
    }

    private String param(RolloutStep step, String name) {
        try {
            JsonNode value = json.readTree(step.params).get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
