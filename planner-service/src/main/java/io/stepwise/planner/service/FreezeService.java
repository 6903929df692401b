package io.stepwise.planner.service;

import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.Freeze;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.persistence.FreezeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fleet-wide freezes: while one is in force, no cluster of any rollout begins a new segment. */
@ApplicationScoped
public class FreezeService {

    /** The longest freeze: a quarter, beyond which a freeze is more likely a typo than a plan. */
    static final Duration LONGEST = Duration.ofDays(92);

    private final FreezeRepository freezes;
    private final ChangeAudit audit;
    private final Clock clock;

    public FreezeService(FreezeRepository freezes, ChangeAudit audit, Clock clock) {
        this.freezes = freezes;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Freeze create(Instant from, Instant to, String reason, String actor) {
        FieldProblems problems = new FieldProblems();
        Instant now = clock.instant();
        Instant starts = from == null ? now : from;
        if (to == null) {
            problems.add("to", "required: when the freeze ends");
        } else if (!to.isAfter(starts)) {
            problems.add("to", to + " is not after the start " + starts);
        } else if (!to.isAfter(now)) {
            problems.add("to", to + " is in the past");
        } else if (Duration.between(starts, to).compareTo(LONGEST) > 0) {
            problems.add("to", "a freeze lasts at most 92 days");
        }
        problems.throwIfAny();
        Freeze freeze = new Freeze();
        freeze.id = UUID.randomUUID().toString();
        freeze.startsAt = starts.truncatedTo(ChronoUnit.MICROS);
        freeze.endsAt = to.truncatedTo(ChronoUnit.MICROS);
        freeze.reason = reason;
        freeze.actor = actor;
        freeze.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        freezes.persist(freeze);
        freezes.changed();
        audit.record(Kind.FREEZE, actor, new Change(freeze.id, "freeze.created", null, fields(freeze), reason));
        return freeze;
    }

    /** The freezes not over yet, soonest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Freeze> current() {
        return freezes.notOver(clock.instant());
    }

    @Transactional
    public void delete(String id, String actor) {
        Freeze freeze = id == null ? null : freezes.findById(id);
        if (freeze == null) {
            throw new NotFoundException("no freeze '" + id + "'");
        }
        freezes.delete(freeze);
        freezes.changed();
        audit.record(Kind.FREEZE, actor, new Change(id, "freeze.deleted", fields(freeze), null, null));
    }

    private static Map<String, Object> fields(Freeze f) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("from", f.startsAt.toString());
        fields.put("to", f.endsAt.toString());
        fields.put("reason", f.reason);
        return fields;
    }
}
