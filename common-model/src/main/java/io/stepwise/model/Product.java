package io.stepwise.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The data systems Stepwise knows how to upgrade. Written in JSON in lower case: {@code "weaviate"}. */
public enum Product {
    WEAVIATE(EnumSet.of(StepKind.BACKUP, StepKind.RESTORE, StepKind.UPGRADE, StepKind.DOWNGRADE,
            StepKind.RAFT_MIGRATION, StepKind.SCHEMA_DOWNGRADE, StepKind.SYNC_CHECK, StepKind.VERIFY)),
    PACHYDERM(EnumSet.of(StepKind.BACKUP, StepKind.RESTORE, StepKind.UPGRADE, StepKind.VERIFY, StepKind.EXTRACT,
            StepKind.UNDEPLOY, StepKind.DEPLOY, StepKind.MANUAL_APPROVAL));

    private final Set<StepKind> stepKinds;
    private final Set<StepKind> executorStepKinds;

    Product(EnumSet<StepKind> stepKinds) {
        this.stepKinds = Collections.unmodifiableSet(stepKinds);
        EnumSet<StepKind> executed = EnumSet.copyOf(stepKinds);
        executed.remove(StepKind.MANUAL_APPROVAL);
        this.executorStepKinds = Collections.unmodifiableSet(executed);
    }

    /**
     * Every kind of step a plan for this product can hold: the planner's rules emit these and no other, each in some
     * plan. The executor runs all of them but {@link StepKind#MANUAL_APPROVAL}, which the planner handles itself (the
     * cluster waits until a person approves through the API): see {@link #executorStepKinds()}.
     */
    public Set<StepKind> stepKinds() {
        return stepKinds;
    }

    /** The kinds the executor has a handler for: {@link #stepKinds()} minus {@link StepKind#MANUAL_APPROVAL}. */
    public Set<StepKind> executorStepKinds() {
        return executorStepKinds;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The product with this id (case-insensitive), or empty when there is none. */
    public static Optional<Product> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(p -> p.id().equalsIgnoreCase(id.trim())).findFirst();
    }

    @JsonCreator
    static Product fromJson(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown product '" + id + "'; known products: " + Arrays.toString(ids())));
    }

    public static String[] ids() {
        return Arrays.stream(values()).map(Product::id).toArray(String[]::new);
    }
}
