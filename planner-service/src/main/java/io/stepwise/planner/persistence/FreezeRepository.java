package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.Freeze;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Freezes. Every safe point of every rollout asks whether one is in force, so the answer comes from the freezes not
 * over, read at most once a second: another planner instance sees a new freeze within that second, this one at once.
 */
@ApplicationScoped
public class FreezeRepository implements PanacheRepositoryBase<Freeze, String> {

    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Snapshot(List<Freeze> notOver, long readAt) {
    }

    private volatile Snapshot snapshot;

    /** The freeze in force at {@code at} that ends last, if any. */
    public Optional<Freeze> inForce(Instant at) {
        Snapshot known = snapshot;
        if (known == null || System.nanoTime() - known.readAt() > REREAD_NANOS) {
            known = new Snapshot(notOver(at), System.nanoTime());
            snapshot = known;
        }
        return known.notOver().stream().filter(f -> f.covers(at)).max(Comparator.comparing(f -> f.endsAt));
    }

    /** A freeze was created or removed here: the next question reads them again. */
    public void changed() {
        snapshot = null;
    }

    /** Freezes not yet over at {@code at}, soonest first. */
    public List<Freeze> notOver(Instant at) {
        return list("endsAt > ?1 order by startsAt", at);
    }
}
