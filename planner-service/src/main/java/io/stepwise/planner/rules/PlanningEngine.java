package io.stepwise.planner.rules;

import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.planner.catalog.BlockedRange;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * Turns (cluster, target) into a plan or a refusal. Checks what all products share (rule W1 and its
 * Pachyderm equivalent), then hands the cluster to its product's {@link ProductPlanner}.
 *
 * <p>Pure and thread-safe: no I/O, no framework, so a whole fleet can be planned in parallel and every rule
 * can be tested as a table.
 */
public final class PlanningEngine {

    private final Map<Product, ProductPlanner> planners = new EnumMap<>(Product.class);

    public PlanningEngine(List<ProductPlanner> productPlanners) {
        productPlanners.forEach(p -> planners.put(p.product(), p));
    }

    /**
     * @param planSalt distinguishes plans of the same cluster and versions (e.g. the rollout id), so backup ids
     *                 never collide across rollouts; null for a preview, whose ids depend on the plan alone
     */
    public PlanOutcome plan(ClusterFacts cluster, Product product, TargetVersion target, VersionCatalog catalog,
                            PlanningPolicy policy, String planSalt) {
        String id = cluster.id();
        if (cluster.product() != null && cluster.product() != product) {
            return new Refusal(id, RefusalCode.PRODUCT_MISMATCH, "cluster " + id + " runs "
                    + cluster.product().id() + ", but the request upgrades " + product.id()
                    + ": plan it with product '" + cluster.product().id() + "' instead");
        }
        if (cluster.version() == null || cluster.version().isBlank()) {
            return new Refusal(id, RefusalCode.PRECONDITION_FAILED, "the current version of cluster " + id
                    + " is unknown: register it with its version (e.g. \"version\": \"1.24.10\")");
        }
        Optional<Semver> from = Versions.parse(cluster.version());
        if (from.isEmpty()) {
            return new Refusal(id, RefusalCode.INVALID_VERSION, "current version '" + cluster.version()
                    + "' of cluster " + id + " is not a version like 1.24.10: correct it in the inventory");
        }
        Object resolved = resolve(target, catalog, id);
        if (resolved instanceof Refusal refusal) {
            return refusal;
        }
        Semver to = (Semver) resolved;
        boolean symbolic = target.exact() == null;
        if (symbolic && to.isLowerThan(from.get()) && (target.isLatest() || Versions.sameLine(to, from.get()))) {
            // 'latest' or '1.39' never means "go back": the cluster is newer than the catalog knows.
            return new Refusal(id, RefusalCode.PRECONDITION_FAILED, "cluster " + id + " runs "
                    + from.get().getVersion() + ", newer than " + to.getVersion() + ", the catalog's '"
                    + target.text() + "': the catalog is out of date; update it (PUT /api/v1/catalog/"
                    + product.id() + ") or name an exact target");
        }
        if (from.get().isEqualTo(to)) {
            return new Plan(id, product, from.get().getVersion(), to.getVersion(), List.of());
        }
        String planKey = String.join(":", product.id(), id, from.get().getVersion(), to.getVersion(),
                planSalt == null ? "" : planSalt);
        ProductPlanner planner = planners.get(product);
        if (planner == null) {
            return new Refusal(id, RefusalCode.UNSUPPORTED_PATH, "no planning rules for " + product.id());
        }
        try {
            return planner.plan(cluster, from.get(), to, catalog, new PlanBuilder(id, planKey), policy);
        } catch (PlanRefusedException refused) {
            return new Refusal(id, refused.code(), refused.getMessage());
        }
    }

    /** The exact target version, or the refusal that says why there is none. */
    private static Object resolve(TargetVersion target, VersionCatalog catalog, String clusterId) {
        String product = catalog.product().id();
        if (target.isLatest()) {
            return catalog.newest().<Object>map(v -> v).orElseGet(() -> new Refusal(clusterId,
                    RefusalCode.UNKNOWN_VERSION, "the " + product + " catalog has no version that is not blocked"));
        }
        if (target.isLine()) {
            if (catalog.line(target.major(), target.minor()).isEmpty()) {
                return new Refusal(clusterId, RefusalCode.UNKNOWN_VERSION, target.major() + "." + target.minor()
                        + " is not a " + product + " release line in the catalog" + newestHint(catalog));
            }
            return catalog.latest(target.major(), target.minor()).<Object>map(v -> v)
                    .orElseGet(() -> new Refusal(clusterId, RefusalCode.BLOCKED_VERSION, "every patch of "
                            + target.major() + "." + target.minor() + " is blocked: choose another line"));
        }
        Semver exact = target.exact();
        if (!catalog.isReleased(exact)) {
            return new Refusal(clusterId, RefusalCode.UNKNOWN_VERSION, exact.getVersion() + " is not a released "
                    + product + " version in the catalog" + newestHint(catalog));
        }
        Optional<BlockedRange> blocked = catalog.blockedBy(exact);
        if (blocked.isPresent()) {
            String instead = catalog.latest(exact.getMajor(), exact.getMinor())
                    .map(v -> "; choose " + v.getVersion() + " (latest good " + Versions.line(exact) + ") instead")
                    .orElse("");
            return new Refusal(clusterId, RefusalCode.BLOCKED_VERSION, exact.getVersion() + " is blocked ("
                    + blocked.get().describe() + ": " + blocked.get().reason() + ")" + instead);
        }
        return exact;
    }

    private static String newestHint(VersionCatalog catalog) {
        return catalog.newest().map(v -> " (newest known: " + v.getVersion() + ")").orElse("");
    }
}
