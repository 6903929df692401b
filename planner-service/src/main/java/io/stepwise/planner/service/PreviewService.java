package io.stepwise.planner.service;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.lifecycle.ClusterProbes;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.TargetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The dry run: plans inline and selected clusters, changes nothing. */
@ApplicationScoped
public class PreviewService {

    private final PlanningService planning;
    private final InventoryService inventory;
    private final ClusterProbes probes;
    private final PlannerConfig config;

    public PreviewService(PlanningService planning, InventoryService inventory, ClusterProbes probes,
                          PlannerConfig config) {
        this.planning = planning;
        this.inventory = inventory;
        this.probes = probes;
        this.config = config;
    }

    /** The outcome of a preview: one per cluster, and, when the clusters were probed, what each probe found. */
    public record Preview(List<PlanOutcome> outcomes, List<Probed> probed) {
    }

    /** What the probe of a registered cluster found, beside what the inventory said. */
    public record Probed(String clusterId, @Schema(nullable = true) String registeredVersion,
                         @Schema(nullable = true) Integer registeredNodes, @Schema(nullable = true) String foundVersion,
                         @Schema(nullable = true) Integer foundNodes, @Schema(nullable = true) String problem,
                         boolean inventoryCorrected) {
    }

    /**
     * One outcome per cluster: the registered clusters the selector matches, then the inline ones (which describe a
     * cluster as the caller sees it now, so they win over the inventory's record of the same id). With
     * {@code probe}, the registered clusters are planned from what the executor finds on them, and the inventory is
     * corrected where it was wrong; a cluster that could not be read is refused.
     */
    public Preview preview(Product product, TargetVersion target, String selector, List<ClusterFacts> inline,
                           boolean probe) {
        boolean hasInline = inline != null && !inline.isEmpty();
        boolean hasSelector = selector != null && !selector.isBlank();
        if (!hasInline && !hasSelector) {
            throw InvalidInputException.of("clusters", "give inline clusters, a selector over the inventory, or both");
        }
        if (hasInline) {
            checkInline(inline);
        }
        List<Cluster> registered = hasSelector ? inventory.select(LabelSelector.parse(selector), product) : List.of();
        Map<String, ProbeFinding> findings = probe ? probe(product, registered) : Map.of();
        Map<String, ClusterFacts> clusters = new LinkedHashMap<>();
        Map<String, PlanOutcome> refused = new LinkedHashMap<>();
        for (Cluster c : registered) {
            ProbeFinding finding = findings.get(c.id);
            if (finding != null && finding.problem() != null) {
                refused.put(c.id, finding.refusal());
            } else {
                clusters.put(c.id, facts(c));
            }
        }
        if (hasInline) {
            inline.forEach(c -> {
                refused.remove(c.id());
                clusters.put(c.id(), c);
            });
        }
        List<PlanOutcome> outcomes = new ArrayList<>(planning.plan(new ArrayList<>(clusters.values()), product, target,
                null));
        outcomes.addAll(refused.values());
        List<Probed> probed = probe ? findings.values().stream().map(f -> new Probed(f.clusterId(),
                f.registeredVersion(), f.registeredNodes(), f.version(), f.nodes(), f.problem(), f.differs()))
                .toList() : null;
        return new Preview(outcomes, probed);
    }

    /** Probes the clusters, waits for their answers, and corrects the inventory where it was wrong. */
    private Map<String, ProbeFinding> probe(Product product, List<Cluster> clusters) {
        if (clusters.isEmpty()) {
            return Map.of();
        }
        Map<String, String> probeIds = probes.request(product, clusters);
        Map<String, ProbeResult> results = probes.await(probeIds.values(), config.api().previewProbeTimeout());
        Map<String, ProbeFinding> findings = new LinkedHashMap<>();
        List<ProbeFinding> wrong = new ArrayList<>();
        for (Cluster c : clusters) {
            ProbeFinding finding = ProbeFinding.of(c, results.get(probeIds.get(c.id)));
            findings.put(c.id, finding);
            if (finding.differs()) {
                wrong.add(finding);
                c.version = finding.version();
                c.nodes = finding.nodes();
            }
        }
        inventory.correctAll(wrong, "probed for a preview");
        return findings;
    }

    private void checkInline(List<ClusterFacts> inline) {
        int max = config.api().maxInlineClusters();
        if (inline.size() > max) {
            throw InvalidInputException.of("clusters", inline.size() + " clusters inline; at most " + max
                    + " per preview: split the request or register them and use a selector");
        }
    }

    static ClusterFacts facts(Cluster c) {
        return new ClusterFacts(c.id, Product.fromId(c.product).orElseThrow(), c.version, c.nodes,
                DeploymentKind.fromId(c.deployment).orElse(DeploymentKind.KUBERNETES), c.postgresVersion);
    }
}
