package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Follows a rollout through {@code GET /api/v1/rollouts/{id}/watch} until it has ended. If the stream breaks (a
 * planner restarting, a dropped connection), it opens it again, backing off from {@link Context#reconnectDelay()} to
 * {@link #MAX_DELAY}, for up to {@link Context#giveUpAfter()} since the last event; a refusal (4xx) ends the watch at
 * once.
 */
final class Watcher {

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Api api;
    private final Context context;
    private final Display display;
    private final Consumer<JsonNode> events;
    private final boolean verbose;

    /** {@code events}: told of each event as it came (for {@code --output json}); may be null. */
    Watcher(Api api, Context context, Display display, Consumer<JsonNode> events, boolean verbose) {
        this.api = api;
        this.context = context;
        this.display = display;
        this.events = events;
        this.verbose = verbose;
    }

    /** Returns the rollout once it has ended. */
    RolloutProgress follow(String rolloutId) {
        RolloutProgress progress = new RolloutProgress();
        String path = "/api/v1/rollouts/" + Base.segment(rolloutId) + "/watch";
        Instant lastEvent = null;
        Duration delay = context.reconnectDelay();
        while (true) {
            String problem;
            try (InputStream in = api.stream(path); Sse sse = new Sse(in)) {
                boolean whole = true;
                String data;
                while ((data = sse.next()) != null) {
                    JsonNode event = Json.MAPPER.readTree(data);
                    lastEvent = context.clock().instant();
                    delay = context.reconnectDelay();
                    if (events != null) {
                        events.accept(event);
                    }
                    for (RolloutProgress.Cluster ended : progress.apply(event, whole)) {
                        if (!ended.state().equals("SUCCEEDED") || verbose) {
                            display.log(ProgressView.ended(ended), !ended.state().equals("SUCCEEDED"));
                        }
                    }
                    whole = false;
                    display.update(progress);
                    if (progress.finished()) {
                        return progress;
                    }
                }
                problem = "the stream ended before the rollout did";
            } catch (CliException e) {
                if (e.exitCode != Exit.UNAVAILABLE || lastEvent == null) {
                    throw e; // refused, or the planner could not be reached at all: nothing to wait for
                }
                problem = e.lines.get(0);
            } catch (IOException e) {
                problem = "the stream broke (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse("")) + ")";
            }
            if (lastEvent == null || Duration.between(lastEvent, context.clock().instant())
                    .compareTo(context.giveUpAfter()) > 0) {
                throw CliException.unavailable("lost the watch of rollout " + rolloutId + ": " + problem
                        + "; see where it is with: stepwise rollout get " + rolloutId);
            }
            display.log("watch: " + problem + "; reconnecting in " + delay.toMillis() + " ms", true);
            pause(delay);
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted");
        }
    }
}
