package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the simulator's effects ledger must show after Weaviate rollouts that were interrupted along the way. */
final class Effects {

    private Effects() {
    }

    /**
     * Every Weaviate operation happened exactly once, whoever ran it and however often its step was resumed: one backup
     * created per backup id, one image change per cluster and hop, one restart of each node per hop; and no effect
     * recorded twice at all ({@link FleetRolloutIT#assertNoDuplicatedEffect}).
     *
     * @param backups how many backups the plans take in all
     * @param hops    how many version changes the plans make in all (summed over clusters)
     * @param nodes   nodes per cluster
     */
    static void assertWeaviateOperationsOnce(List<Effect> effects, int backups, int hops, int nodes) {
        assertThat(count(effects, EffectType.BACKUP_CREATED, e -> e.clusterId() + " " + e.details().get("backupId")))
                .as("backups created, per backup id").hasSize(backups)
                .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        assertThat(count(effects, EffectType.IMAGE_CHANGED, e -> e.clusterId() + " -> " + e.details().get("to")))
                .as("image changes, per cluster and hop").hasSize(hops)
                .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        assertThat(count(effects, EffectType.VERSION_CHANGED, e -> e.clusterId() + " " + e.details().get("node")
                + " -> " + e.details().get("to")))
                .as("node restarts, per node and hop").hasSize(hops * nodes)
                .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
        FleetRolloutIT.assertNoDuplicatedEffect(effects);
    }

    private static Map<String, Long> count(List<Effect> effects, EffectType type, Function<Effect, String> key) {
        return effects.stream().filter(e -> e.type() == type).collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
