package io.stepwise.executor.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Commits what many threads hand over in as few transactions as the load calls for: a thread that finds no commit
 * under way commits every item handed over so far in one transaction, so an item alone is committed at once and
 * items that arrive during a commit share the next. If a shared commit fails, each item is committed alone, so a bad
 * item fails only its own thread; once one fails after its retries (the database stayed away), the rest fail with it
 * rather than each retrying as long in turn.
 */
final class GroupCommit<T> {

    private final Consumer<List<T>> commitTogether;
    private final Consumer<T> commitAlone;
    private final Predicate<Throwable> retriedInVain;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition commitEnded = lock.newCondition();
    private List<Handed<T>> waiting = new ArrayList<>();
    private boolean committing;

    /** {@code retriedInVain}: whether a failure of {@code commitAlone} is one it retried, rather than a bad item. */
    GroupCommit(Consumer<List<T>> commitTogether, Consumer<T> commitAlone, Predicate<Throwable> retriedInVain) {
        this.commitTogether = commitTogether;
        this.commitAlone = commitAlone;
        this.retriedInVain = retriedInVain;
    }

    /** Returns once the item is committed; throws what its commit threw. */
    void commit(T item) {
        Handed<T> mine = new Handed<>(item);
        List<Handed<T>> batch;
        lock.lock();
        try {
            waiting.add(mine);
            while (committing && !mine.ended) {
                commitEnded.awaitUninterruptibly();
            }
            if (mine.ended) {
                mine.rethrow();
                return;
            }
            committing = true;
            batch = waiting;
            waiting = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        try {
            commitAll(batch);
        } finally {
            lock.lock();
            try {
                committing = false;
                commitEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
        mine.rethrow();
    }

    /** How many items are handed over and not yet taken into a commit (for tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Each item ends committed or with its failure; the lock the committing thread takes next publishes that. */
    private void commitAll(List<Handed<T>> batch) {
        boolean finished = false;
        try {
            try {
                commitTogether.accept(batch.stream().map(Handed::item).toList());
            } catch (RuntimeException together) {
                RuntimeException outlasting = null;
                for (Handed<T> handed : batch) {
                    if (outlasting != null) {
                        handed.failure = outlasting;
                        continue;
                    }
                    try {
                        commitAlone.accept(handed.item());
                    } catch (RuntimeException alone) {
                        handed.failure = alone;
                        outlasting = retriedInVain.test(alone) ? alone : null;
                    }
                }
            }
            finished = true;
        } finally {
            for (Handed<T> handed : batch) {
                if (!finished && handed.failure == null) {
                    handed.failure = new IllegalStateException("not known to be committed: the committing thread failed");
                }
                handed.ended = true;
            }
        }
    }

    private static final class Handed<T> {
        private final T item;
        private boolean ended;
        private RuntimeException failure;

        Handed(T item) {
            this.item = item;
        }

        T item() {
            return item;
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
