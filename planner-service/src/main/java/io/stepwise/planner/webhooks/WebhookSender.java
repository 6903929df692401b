package io.stepwise.planner.webhooks;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.planner.config.WebhooksConfig;
import io.stepwise.planner.webhooks.WebhookStore.Claimed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends the deliveries that are due, each as one POST of its CloudEvent, signed ({@link Signature}); a 2xx answer
 * delivers it, anything else (another status, a redirect, which is never followed, no answer within
 * {@code request-timeout}) is a failed attempt, sent again after a backoff that doubles from {@code first-backoff} up
 * to {@code max-backoff}, until {@code max-attempts} make it FAILED. At least once: an instance that dies between
 * the answer and its record sends again, and receivers drop a CloudEvent id they have seen. Deliveries are sent
 * concurrently, so one webhook may receive events out of order (the CloudEvent's {@code time} orders them).
 */
@ApplicationScoped
public class WebhookSender {

    static final int MAX_ERROR_LENGTH = 200;
    /** How long past its request timeout a claimed delivery stays held before it may be sent again. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private record Outcome(Claimed delivery, Integer status, String error) {
    }

    private final WebhookStore store;
    private final WebhooksConfig config;
    private final HttpClient http;
    /** Set as the planner stops: the schedule may still fire once the database is gone. */
    private volatile boolean stopping;

    WebhookSender(WebhookStore store, WebhooksConfig config) {
        this.store = store;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Scheduled(every = "{stepwise.webhooks.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDue() {
        if (stopping) {
            return;
        }
        Instant now = Instant.now();
        List<Claimed> due = store.claimDue(now, now.plus(config.requestTimeout()).plus(LEASE_MARGIN),
                config.batchSize());
        List<CompletableFuture<Outcome>> sending = due.stream().map(this::send).toList();
        for (CompletableFuture<Outcome> attempt : sending) {
            record(attempt.join());
        }
    }

    /** The delivery log keeps what ended for {@code stepwise.webhooks.retention}. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        if (!stopping) {
            forgetEndedBefore(Instant.now().minus(config.retention()));
        }
    }

    /** Deletes the DELIVERED and FAILED deliveries created before {@code before}; returns how many. */
    int forgetEndedBefore(Instant before) {
        return store.deleteEnded(before);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private CompletableFuture<Outcome> send(Claimed delivery) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header("User-Agent", "stepwise-planner")
                    .header(Signature.TIMESTAMP_HEADER, String.valueOf(timestamp))
                    .header(Signature.HEADER, Signature.of(delivery.secret(), timestamp, delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(delivery, null, reason(e)));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure != null) {
                        return new Outcome(delivery, null, reason(failure));
                    }
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return new Outcome(delivery, status, null);
                    }
                    return new Outcome(delivery, status, status >= 300 && status < 400
                            ? "answered HTTP " + status + "; redirects are not followed" : "answered HTTP " + status);
                });
    }

    private void record(Outcome outcome) {
        Claimed delivery = outcome.delivery();
        Instant now = Instant.now();
        if (outcome.error() == null) {
            store.delivered(delivery.id(), outcome.status(), now);
            return;
        }
        int attempts = delivery.attempts() + 1;
        Instant next = attempts >= config.maxAttempts() ? null
                : now.plus(backoff(config.firstBackoff(), config.maxBackoff(), attempts));
        store.failed(delivery.id(), outcome.status(), outcome.error(), next);
        Log.debugf("Webhook delivery %d, attempt %d failed: %s%s", delivery.id(), attempts, outcome.error(),
                next == null ? "; FAILED" : "");
    }

    /** The wait after the {@code failedAttempts}-th failure: {@code first}, doubled after each one, at most {@code max}. */
    static Duration backoff(Duration first, Duration max, int failedAttempts) {
        Duration wait = first;
        for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** A short reason for the delivery log: what went wrong, not a stack trace, no control characters. */
    static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String text;
        if (cause instanceof HttpTimeoutException) {
            text = "no answer within the request timeout";
        } else if (cause instanceof ConnectException) {
            text = "could not connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } else {
            text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        text = text.replaceAll("\\p{Cntrl}", " ");
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH - 1) + "…" : text;
    }
}
