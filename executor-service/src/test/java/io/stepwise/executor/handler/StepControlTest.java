package io.stepwise.executor.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stepwise.model.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where a running attempt stops when asked to: at its next check or pause, never inside an uninterruptible operation. */
class StepControlTest {

    private final List<String> critical = new CopyOnWriteArrayList<>();
    private final AtomicBoolean leaseInDoubt = new AtomicBoolean();
    private final StepControl control = new StepControl(critical::add, leaseInDoubt::get);

    @Test
    void anAttemptAskedToStopStopsAtItsNextCheckWithoutCheckingAgain() {
        AtomicInteger checks = new AtomicInteger();
        control.stop("cancelled: rollout cancelled", StepStatus.CANCELLED);

        Throwable stopped = catchThrowable(() -> control.bind(() -> Poll.<Integer>waitingFor("the backup")
                .every(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
                .until(checks::incrementAndGet, n -> false)));

        assertThat(checks).hasValue(0);
        assertThat(stopped).isInstanceOf(StepStoppedException.class)
                .hasMessage("cancelled: rollout cancelled; stopped while waiting for the backup (last seen: nothing"
                        + " (no check yet)); nothing further was done");
        assertThat(((StepFailedException) stopped).errorCode()).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void aStopWakesAPollFromItsPauseRatherThanAfterIt() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        CompletableFuture<Integer> polling = CompletableFuture.supplyAsync(() -> control.bind(() ->
                Poll.<Integer>waitingFor("the rollout").every(Duration.ofMinutes(10)).atMost(Duration.ofHours(1))
                        .pausingFirst(false)
                        .until(checks::incrementAndGet, n -> false)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() >= 6);
        long asked = System.nanoTime();

        control.stop("cancelled: enough", StepStatus.CANCELLED);

        Throwable stopped = catchThrowable(() -> polling.get(10, TimeUnit.SECONDS));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
        assertThat(stopped).hasCauseInstanceOf(StepStoppedException.class)
                .hasMessageContaining("stopped while waiting for the rollout");
    }

    @Test
    void anOperationThatMustNotStopHalfwayRunsToItsEndAndTheStopTakesEffectAtTheNextCheckAfterIt() {
        AtomicInteger insideChecks = new AtomicInteger();
        AtomicBoolean secondHalfDone = new AtomicBoolean();

        Throwable stopped = catchThrowable(() -> control.bind(() -> {
            StepControl.uninterrupted("re-creating StatefulSet ns/weaviate", () -> {
                control.stop("cancelled: rollout cancelled", StepStatus.CANCELLED);
                // the wait between the delete and the create is not a place to stop
                Poll.<Integer>waitingFor("the delete").every(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                        .until(insideChecks::incrementAndGet, n -> n >= 3);
                secondHalfDone.set(true);
            });
            return Poll.<Integer>waitingFor("the rollout").every(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                    .until(() -> 1, n -> true);
        }));

        assertThat(insideChecks).hasValue(3);
        assertThat(secondHalfDone).isTrue();
        assertThat(stopped).isInstanceOf(StepStoppedException.class).hasMessageContaining("waiting for the rollout");
        assertThat(critical).as("entered, then left, each told once").containsExactly("re-creating StatefulSet ns/weaviate",
                null);
    }

    @Test
    void whileTheLeaseIsInDoubtACheckWaitsAndGoesOnOnceItIsConfirmed() throws Exception {
        leaseInDoubt.set(true);
        AtomicInteger checks = new AtomicInteger();
        CompletableFuture<Integer> polling = CompletableFuture.supplyAsync(() -> control.bind(() ->
                Poll.<Integer>waitingFor("the backup").every(Duration.ofMillis(10)).atMost(Duration.ofSeconds(30))
                        .until(checks::incrementAndGet, n -> true)));

        org.awaitility.Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> checks.get() == 0);
        leaseInDoubt.set(false);

        assertThat(polling.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void withoutAControlEveryCheckPasses() {
        assertThat(Poll.<Integer>waitingFor("anything").every(Duration.ofMillis(10)).atMost(Duration.ofSeconds(1))
                .until(() -> 7, n -> true)).isEqualTo(7);
    }
}
