package io.stepwise.planner.rules;

import io.stepwise.model.StepKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a plan's steps in order, numbering them from 1 and deriving backup ids.
 *
 * <p>Backup ids are derived from the plan key and the step's seq, so the same plan always yields the same
 * ids (an executor that retries a step adopts its backup instead of taking another), and different plans
 * never share one. They use only {@code [a-z0-9-]}, valid for Weaviate ({@code ^[a-z0-9_-]+$}).
 */
public final class PlanBuilder {

    private final String clusterId;
    private final String planHash;
    private final List<PlannedStep> steps = new ArrayList<>();
    private String segment;

    public PlanBuilder(String clusterId, String planKey) {
        this.clusterId = clusterId;
        this.planHash = shortHash(planKey);
    }

    public void add(StepKind kind, String toVersion, String rule, String reason) {
        add(kind, toVersion, rule, reason, Map.of());
    }

    public void add(StepKind kind, String toVersion, String rule, String reason, Map<String, Object> params) {
        steps.add(new PlannedStep(steps.size() + 1, kind, toVersion, rule, reason, params, segment));
    }

    /** Adds a step another plan made, renumbered to follow this plan's steps, keeping its segment. */
    public void append(PlannedStep step) {
        steps.add(new PlannedStep(steps.size() + 1, step.kind(), step.toVersion(), step.rule(), step.reason(),
                step.params(), step.segment()));
    }

    /**
     * Steps added from here until {@link #endSegment} form a segment: once its first step has begun, the cluster
     * runs it to its end even when the rollout pauses or is cancelled, so that it never stops halfway through.
     */
    public void beginSegment(String name) {
        if (segment != null) {
            throw new IllegalStateException("segment '" + segment + "' has not ended");
        }
        segment = name;
    }

    public void endSegment() {
        segment = null;
    }

    /** Adds a BACKUP step and answers its backup id, for a later RESTORE. */
    public String backup(String rule, String reason) {
        String backupId = nextBackupId();
        add(StepKind.BACKUP, null, rule, reason, Map.of("backupId", backupId));
        return backupId;
    }

    /** The backup id the next step would get (for kinds that write a backup, such as Pachyderm's EXTRACT). */
    public String nextBackupId() {
        return "sw-" + clusterId + "-" + planHash + "-" + (steps.size() + 1);
    }

    public static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put((String) keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    public List<PlannedStep> steps() {
        return List.copyOf(steps);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
