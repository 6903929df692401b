package io.stepwise.planner.rest.console;

import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateGlobal;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.planner.rest.RolloutView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/** What every console template may use: the states to filter by, a rollout's progress, times as people read them. */
public final class ConsoleTemplates {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleTemplates() {
    }

    @TemplateGlobal
    static List<String> rolloutStates() {
        return Arrays.stream(RolloutState.values()).map(Enum::name).toList();
    }

    @TemplateGlobal
    static List<String> clusterStates() {
        return Arrays.stream(ClusterPlanState.values()).map(Enum::name).toList();
    }

    /** The share of the rollout's clusters that have ended, in percent. */
    @TemplateExtension
    static int progress(RolloutView rollout) {
        return RolloutLive.Bar.of(rollout.counts()).percent();
    }

    @TemplateExtension
    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }
}
