package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.AuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, AuditEntry.Key> {

    public List<AuditEntry> ofRollout(String rolloutId) {
        return list("key.rolloutId = ?1 order by key.seq", rolloutId);
    }
}
