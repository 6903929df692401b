package io.stepwise.planner.service;

import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.domain.ChangeAuditEntry;
import io.stepwise.planner.domain.FieldProblems;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** What was done to a registered cluster, a product's catalog or a webhook, and whether that record is intact. */
@ApplicationScoped
public class ChangeHistory {

    private final ChangeAudit audit;

    public ChangeHistory(ChangeAudit audit) {
        this.audit = audit;
    }

    public List<ChangeAuditEntry> of(String kind, String subject) {
        return audit.of(kindOf(kind, subject), subject);
    }

    public AuditVerification verify(String kind, String subject) {
        return audit.verify(kindOf(kind, subject), subject);
    }

    private static Kind kindOf(String kind, String subject) {
        FieldProblems problems = new FieldProblems();
        Kind found = null;
        if (kind == null || kind.isBlank()) {
            problems.add("kind", "required: cluster, catalog, strategy, freeze, window_policy or webhook");
        } else {
            try {
                found = Kind.valueOf(kind.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                problems.add("kind", "'" + kind + "' is not cluster, catalog, strategy, freeze, window_policy or webhook");
            }
        }
        if (subject == null || subject.isBlank()) {
            problems.add("subject", "required: a cluster id, a product for the catalog, or a webhook id");
        }
        problems.throwIfAny();
        return found;
    }
}
