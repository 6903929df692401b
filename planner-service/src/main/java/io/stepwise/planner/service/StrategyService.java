package io.stepwise.planner.service;

import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.SavedStrategy;
import io.stepwise.planner.persistence.StrategyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Strategies saved under a name, which rollouts refer to instead of spelling one out; every change audited. */
@ApplicationScoped
public class StrategyService {

    private final StrategyRepository strategies;
    private final ChangeAudit audit;

    public StrategyService(StrategyRepository strategies, ChangeAudit audit) {
        this.strategies = strategies;
        this.audit = audit;
    }

    /** Saves {@code body} (already valid) under {@code name}; answers whether it was created rather than replaced. */
    @Transactional
    public boolean put(String name, Map<String, Object> body, String actor) {
        SavedStrategy saved = strategies.findById(name, LockModeType.PESSIMISTIC_WRITE);
        boolean created = saved == null;
        Map<String, Object> before = created ? null : saved.body;
        if (created) {
            saved = new SavedStrategy();
            saved.name = name;
        }
        saved.body = body;
        saved.actor = actor;
        saved.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (created) {
            strategies.persist(saved);
        }
        audit.record(Kind.STRATEGY, actor, new Change(name, created ? "strategy.created" : "strategy.replaced",
                before, body, null));
        return created;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SavedStrategy get(String name) {
        SavedStrategy saved = name == null ? null : strategies.findById(name);
        if (saved == null) {
            throw new NotFoundException("no strategy '" + name + "'");
        }
        return saved;
    }

    /** The strategy a rollout names: a 400 on the rollout's field when there is none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public SavedStrategy named(String name) {
        SavedStrategy saved = strategies.findById(name);
        if (saved == null) {
            throw InvalidInputException.of("strategyName", "no strategy '" + name + "' is saved");
        }
        return saved;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SavedStrategy> list() {
        return strategies.list("order by name");
    }

    @Transactional
    public void delete(String name, String actor) {
        SavedStrategy saved = get(name);
        strategies.delete(saved);
        audit.record(Kind.STRATEGY, actor, new Change(name, "strategy.deleted", saved.body, null, null));
    }
}
