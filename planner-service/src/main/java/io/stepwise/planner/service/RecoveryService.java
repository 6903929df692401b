package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.ConflictException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rules.RecoveryFacts;
import io.stepwise.planner.rules.RecoveryPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.List;

/**
 * The recovery preview of a cluster that failed in a rollout: what the rollout knows of it (the version before, the
 * failed step, the pre-upgrade backup) handed to the product's recovery rules. Reads only.
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
        if (planned.state != ClusterPlanState.FAILED) {
            throw new ConflictException("cluster " + clusterId + " is " + planned.state + " in rollout " + rolloutId
                    + ", not FAILED: only a failed cluster has a recovery");
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
        RecoveryPlanner.Recovery recovery = planning.recover(facts, product, null);
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
