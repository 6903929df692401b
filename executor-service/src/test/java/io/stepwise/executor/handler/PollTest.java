package io.stepwise.executor.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How often a step looks at a cluster while it waits: soon for what ends soon, never more than the interval later. */
class PollTest {

    @Test
    void anOperationThatEndsQuicklyIsSeenWithoutWaitingAFullInterval() {
        AtomicInteger checks = new AtomicInteger();
        long start = System.nanoTime();

        int seen = Poll.<Integer>waitingFor("the backup")
                .every(Duration.ofSeconds(30))
                .atMost(Duration.ofMinutes(5))
                .until(checks::incrementAndGet, n -> n >= 3);

        assertThat(seen).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well under one 30 s interval")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLongWaitSettlesAtTheIntervalInsteadOfPollingHard() {
        AtomicInteger checks = new AtomicInteger();

        assertThatThrownBy(() -> Poll.<Integer>waitingFor("the rolling restart")
                .every(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(2))
                .until(checks::incrementAndGet, n -> false))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("timed out after 2s")
                .hasMessageContaining("waiting for the rolling restart");

        // pauses of 50 ms for 200 ms, then a quarter of the wait up to 400 ms: about 15 checks in 2 s,
        // where 50 ms steps would be 40
        assertThat(checks.get()).isBetween(10, 20);
    }

    @Test
    void anOperationIsSeenEndingAtMostAQuarterOfItsDurationLate() {
        Poll<Object> poll = Poll.waitingFor("the backup").every(Duration.ofSeconds(2));

        assertThat(Duration.ofNanos(poll.nextPause(0))).isEqualTo(Poll.FIRST_PAUSE);
        assertThat(Duration.ofNanos(poll.nextPause(Duration.ofMillis(150).toNanos()))).isEqualTo(Poll.FIRST_PAUSE);
        // a 300 ms rolling restart is looked at again within 75 ms (pauses that doubled looked at 350, then 750 ms)
        assertThat(Duration.ofNanos(poll.nextPause(Duration.ofMillis(300).toNanos()))).isEqualTo(Duration.ofMillis(75));
        assertThat(Duration.ofNanos(poll.nextPause(Duration.ofSeconds(4).toNanos()))).isEqualTo(Duration.ofSeconds(1));
        // an hour-long backup is looked at once per interval
        assertThat(Duration.ofNanos(poll.nextPause(Duration.ofHours(1).toNanos()))).isEqualTo(Duration.ofSeconds(2));
        // an interval shorter than the first pause wins
        assertThat(Duration.ofNanos(Poll.waitingFor("x").every(Duration.ofMillis(10)).nextPause(0)))
                .isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aWaitRightAfterAChangeLooksFirstAfterAPause() {
        long start = System.nanoTime();

        long firstCheckAt = Poll.<Long>waitingFor("the rollout")
                .pausingFirst(true)
                .every(Duration.ofSeconds(2))
                .until(System::nanoTime, checkedAt -> true);

        assertThat(Duration.ofNanos(firstCheckAt - start)).as("the first check waited the first pause")
                .isGreaterThanOrEqualTo(Poll.FIRST_PAUSE);
    }
}
