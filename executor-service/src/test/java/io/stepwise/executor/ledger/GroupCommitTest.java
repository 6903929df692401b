package io.stepwise.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Steps that end together are recorded together; one that ends alone is recorded at once; a bad one fails alone. */
class GroupCommitTest {

    private final List<List<String>> together = new CopyOnWriteArrayList<>();
    private final List<String> alone = new CopyOnWriteArrayList<>();
    private final List<String> triedAlone = new CopyOnWriteArrayList<>();
    private volatile boolean databaseDown;
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);
    private final CountDownLatch firstCommitMayEnd = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(4);

    private final GroupCommit<String> commits = new GroupCommit<>(items -> {
        if (together.isEmpty()) {
            firstCommitStarted.countDown();
            awaitQuietly(firstCommitMayEnd);
        }
        together.add(items);
        if (items.contains("bad") && items.size() > 1) {
            throw new IllegalStateException("the batch broke a constraint");
        }
    }, item -> {
        triedAlone.add(item);
        if (item.equals("bad")) {
            throw new IllegalArgumentException("bad breaks a constraint");
        }
        if (databaseDown) {
            throw new UncheckedIOException(new IOException("connection refused, retried for two minutes"));
        }
        alone.add(item);
    }, failure -> failure instanceof UncheckedIOException);

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    @Test
    void anItemHandedOverAloneIsCommittedAtOnceOnItsOwn() {
        firstCommitMayEnd.countDown();

        commits.commit("a");

        assertThat(together).containsExactly(List.of("a"));
    }

    @Test
    void itemsHandedOverWhileACommitRunsShareTheNextCommit() throws Exception {
        CompletableFuture<Void> first = handOver("a");
        Map<String, CompletableFuture<Void>> next = handOverWhileTheFirstCommitRuns("b", "c", "d");

        firstCommitMayEnd.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> end : next.values()) {
            end.get(10, TimeUnit.SECONDS);
        }

        assertThat(together).hasSize(2);
        assertThat(together.get(0)).containsExactly("a");
        assertThat(together.get(1)).as("b, c and d in one commit").containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void whenASharedCommitFailsEachItemIsCommittedAloneAndOnlyTheBadOneFails() throws Exception {
        CompletableFuture<Void> first = handOver("a");
        Map<String, CompletableFuture<Void>> next = handOverWhileTheFirstCommitRuns("b", "bad", "c");

        firstCommitMayEnd.countDown();

        first.get(10, TimeUnit.SECONDS);
        next.get("b").get(10, TimeUnit.SECONDS);
        next.get("c").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> next.get("bad").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad breaks a constraint");
        assertThat(alone).as("committed one by one after the shared commit failed").containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void whenTheDatabaseStaysAwayTheRestOfTheBatchFailsAtOnceInsteadOfEachRetryingInTurn() throws Exception {
        CompletableFuture<Void> first = handOver("a");
        Map<String, CompletableFuture<Void>> next = handOverWhileTheFirstCommitRuns("b", "bad", "c");
        databaseDown = true;

        firstCommitMayEnd.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> end : next.values()) {
            assertThatThrownBy(() -> end.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        assertThat(triedAlone).as("tried alone until one outlasted its retries (a bad one does not count)")
                .hasSizeBetween(1, 2).last().isNotEqualTo("bad");
        assertThat(alone).isEmpty();
    }

    private CompletableFuture<Void> handOver(String item) {
        return CompletableFuture.runAsync(() -> commits.commit(item), workers);
    }

    /** Once the first commit runs, hands these over; returns once all of them wait for the next commit. */
    private Map<String, CompletableFuture<Void>> handOverWhileTheFirstCommitRuns(String... items) {
        awaitQuietly(firstCommitStarted);
        Map<String, CompletableFuture<Void>> handed = Stream.of(items)
                .collect(Collectors.toMap(Function.identity(), this::handOver));
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.waiting() == items.length);
        return handed;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the latch was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
