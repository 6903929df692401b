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

        // pauses of 50, 100, 200, 400, 400, ... ms: about 8 checks in 2 s, where 50 ms steps would be 40
        assertThat(checks.get()).isBetween(5, 11);
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
