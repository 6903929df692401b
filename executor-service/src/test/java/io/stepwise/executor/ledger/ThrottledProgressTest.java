package io.stepwise.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a person watching a step sees of its progress: never a flood, never a stale message. */
class ThrottledProgressTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final StepRequested STEP = new StepRequested("s-1", "r-1", "c-1", 1, 1, Product.WEAVIATE,
            StepKind.BACKUP, null, Map.of(), null);

    private final List<String> published = new CopyOnWriteArrayList<>();
    private final Ledger ledger = new Ledger(new ObjectMapper(), null, "test", Duration.ofMinutes(1), null) {
        @Override
        public void progress(StepRequested step, String message, String observedVersion) {
            published.add(message);
        }
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aBurstRightAfterTheStartIsPublishedOnceWithTheLatestMessage() {
        ThrottledProgress progress = new ThrottledProgress(STEP, ledger, timer, INTERVAL);
        for (int i = 1; i <= 50; i++) {
            progress.report("backup TRANSFERRING " + i);
        }
        assertThat(published).as("nothing within the interval after 'started'").isEmpty();

        await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
        assertThat(published).containsExactly("backup TRANSFERRING 50");
    }

    @Test
    void aReportAfterAQuietIntervalIsPublishedAtOnce() {
        long quietSinceLongerThanTheInterval = System.nanoTime() - INTERVAL.toNanos() - 1;
        ThrottledProgress progress = new ThrottledProgress(STEP, ledger, timer, INTERVAL, quietSinceLongerThanTheInterval);
        progress.report("3 of 3 nodes HEALTHY at 1.30.23");
        assertThat(published).containsExactly("3 of 3 nodes HEALTHY at 1.30.23");
    }

    @Test
    void whatIsHeldWhenTheStepEndsIsDroppedBecauseTheFinalStatusSupersedesIt() {
        ThrottledProgress progress = new ThrottledProgress(STEP, ledger, timer, INTERVAL);
        progress.report("backup STARTED");
        progress.close();
        progress.report("too late");
        // nothing shows up, even well past the moment the held message was due
        await().during(INTERVAL.multipliedBy(2)).atMost(INTERVAL.multipliedBy(3)).until(published::isEmpty);
    }

    @Test
    void aStepWithoutNewsGetsAHeartbeatRepeatingItsLatestMessageAndOneThatSpokeRecentlyDoesNot() {
        long start = System.nanoTime();
        long quiet = Duration.ofSeconds(30).toNanos();
        ThrottledProgress progress = new ThrottledProgress(STEP, ledger, timer, Duration.ofNanos(1), start);
        progress.report("backup TRANSFERRING", null);

        assertThat(progress.heartbeat(System.nanoTime(), quiet)).as("spoke just now").isNull();
        ThrottledProgress.Pending beat = progress.heartbeat(System.nanoTime() + quiet, quiet);
        assertThat(beat).isEqualTo(new ThrottledProgress.Pending("backup TRANSFERRING", null));
        assertThat(progress.heartbeat(System.nanoTime() + quiet + 1, quiet)).as("the heartbeat counts as spoken")
                .isNull();
        assertThat(progress.heartbeat(System.nanoTime() + 2 * quiet + 1, quiet)).isEqualTo(beat);

        progress.close();
        assertThat(progress.heartbeat(System.nanoTime() + 4 * quiet, quiet)).as("ended: no heartbeat").isNull();
    }

    @Test
    void aStepThatNeverReportedGetsAHeartbeatSayingItRuns() {
        long start = System.nanoTime();
        ThrottledProgress progress = new ThrottledProgress(STEP, ledger, timer, INTERVAL, start);

        assertThat(progress.heartbeat(start + INTERVAL.toNanos(), INTERVAL.toNanos()))
                .isEqualTo(new ThrottledProgress.Pending("running BACKUP", null));
    }
}
