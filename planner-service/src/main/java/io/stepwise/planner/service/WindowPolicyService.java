package io.stepwise.planner.service;

import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.WindowPolicy;
import io.stepwise.planner.persistence.WindowPolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Named maintenance windows that clusters choose by label; every change audited. */
@ApplicationScoped
public class WindowPolicyService {

    private final WindowPolicyRepository policies;
    private final ChangeAudit audit;

    public WindowPolicyService(WindowPolicyRepository policies, ChangeAudit audit) {
        this.policies = policies;
        this.audit = audit;
    }

    /** Saves the windows (already valid) under {@code name}; answers whether the policy was created. */
    @Transactional
    public boolean put(String name, List<MaintenanceWindow> windows, String actor) {
        WindowPolicy policy = policies.findById(name, LockModeType.PESSIMISTIC_WRITE);
        boolean created = policy == null;
        Map<String, Object> before = created ? null : fields(policy);
        if (created) {
            policy = new WindowPolicy();
            policy.name = name;
        }
        policy.windows = windows;
        policy.actor = actor;
        policy.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (created) {
            policies.persist(policy);
        }
        audit.record(Kind.WINDOW_POLICY, actor, new Change(name, created ? "window-policy.created"
                : "window-policy.replaced", before, fields(policy), null));
        return created;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public WindowPolicy get(String name) {
        WindowPolicy policy = name == null ? null : policies.findById(name);
        if (policy == null) {
            throw new NotFoundException("no window policy '" + name + "'");
        }
        return policy;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<WindowPolicy> list() {
        return policies.list("order by name");
    }

    @Transactional
    public void delete(String name, String actor) {
        WindowPolicy policy = get(name);
        policies.delete(policy);
        audit.record(Kind.WINDOW_POLICY, actor, new Change(name, "window-policy.deleted", fields(policy), null, null));
    }

    private static Map<String, Object> fields(WindowPolicy p) {
        return Map.of("windows", p.windows.stream().map(MaintenanceWindow::describe).toList());
    }
}
