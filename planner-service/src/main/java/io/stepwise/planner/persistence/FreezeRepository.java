package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.Freeze;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class FreezeRepository implements PanacheRepositoryBase<Freeze, String> {

    /** The freeze in force at {@code at} that ends last, if any. */
    public Optional<Freeze> inForce(Instant at) {
        return find("startsAt <= ?1 and endsAt > ?1 order by endsAt desc", at).firstResultOptional();
    }

    /** Freezes not yet over at {@code at}, soonest first. */
    public List<Freeze> notOver(Instant at) {
        return list("endsAt > ?1 order by startsAt", at);
    }
}
