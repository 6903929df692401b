package io.stepwise.planner.webhooks;

import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.service.Page;
import io.stepwise.planner.service.Paging;
import io.stepwise.planner.webhooks.Delivery.State;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The webhooks people configure, and their delivery logs. Each creation and deletion is recorded in the change audit
 * ({@code kind=webhook}) without the secret, and with only the URL's origin: a webhook URL is often a credential in
 * itself (a chat tool's incoming-webhook URL), and viewers read the audit.
 */
@ApplicationScoped
public class Webhooks {

    private final WebhookStore store;
    private final ChangeAudit audit;
    private final PlannerConfig config;

    Webhooks(WebhookStore store, ChangeAudit audit, PlannerConfig config) {
        this.store = store;
        this.audit = audit;
        this.config = config;
    }

    /** Creates a webhook; the request's form (URL, secret, types) was checked at the edge. */
    @Transactional
    public Webhook create(Webhook.New request, String actor) {
        if (request.rolloutId() != null && !store.rolloutExists(request.rolloutId())) {
            throw InvalidInputException.of("rolloutId", "no rollout has the id '" + request.rolloutId()
                    + "': leave it out for every rollout's events");
        }
        Webhook webhook = new Webhook(UUID.randomUUID().toString(), request.url(),
                request.types() == null ? List.of() : List.copyOf(request.types()), request.rolloutId(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), actor);
        store.insert(webhook, request.secret());
        audit.record(Kind.WEBHOOK, actor, new Change(webhook.id(), "webhook.created", null, fields(webhook), null));
        return webhook;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Webhook get(String id) {
        Webhook webhook = store.find(id);
        if (webhook == null) {
            throw new NotFoundException("no webhook has the id '" + id + "'");
        }
        return webhook;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Webhook> list(int page, int size) {
        FieldProblems problems = new FieldProblems();
        Paging.check(problems, page, size, config.api().maxPageSize());
        problems.throwIfAny();
        return new Page<>(store.page(page * size, size), page, size, store.count());
    }

    /** Deletes the webhook and its delivery log; nothing more is sent to it, not even a delivery already due. */
    @Transactional
    public void delete(String id, String actor) {
        Webhook webhook = get(id);
        store.delete(id);
        audit.record(Kind.WEBHOOK, actor, new Change(id, "webhook.deleted", fields(webhook), null, null));
    }

    /** The webhook's deliveries, newest first, in one state ({@code PENDING}, {@code DELIVERED}, {@code FAILED}) or all. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Delivery> deliveries(String id, String stateName, int page, int size) {
        FieldProblems problems = new FieldProblems();
        Paging.check(problems, page, size, config.api().maxPageSize());
        State state = null;
        if (stateName != null) {
            try {
                state = State.valueOf(stateName);
            } catch (IllegalArgumentException e) {
                problems.add("state", "'" + stateName + "' is not PENDING, DELIVERED or FAILED");
            }
        }
        problems.throwIfAny();
        get(id);
        return new Page<>(store.deliveries(id, state, page * size, size), page, size, store.countDeliveries(id, state));
    }

    /** What the audit records of a webhook: never its secret, and of its URL only the origin. */
    private static Map<String, Object> fields(Webhook webhook) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("url", origin(webhook.url()));
        fields.put("types", webhook.types());
        fields.put("rolloutId", webhook.rolloutId());
        return fields;
    }

    /** {@code https://hooks.example/…}: scheme, host and port, the rest elided. */
    static String origin(String url) {
        URI uri = URI.create(url);
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        return url.length() > origin.length() + 1 ? origin + "/…" : origin;
    }
}
