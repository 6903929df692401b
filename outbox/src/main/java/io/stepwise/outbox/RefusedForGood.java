package io.stepwise.outbox;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Whether Kafka refused an outbox row for good, so that {@link OutboxRelay} parks it rather than sending it again
 * ahead of everything after it: the row itself is what the producer or the broker will never take, whenever and
 * however often it is sent.
 *
 * <p>For good: a record too large (over the producer's {@code max.request.size} or the topic's
 * {@code max.message.bytes}), a record the broker's validation rejects ({@link InvalidRecordException}, e.g. no key on
 * a compacted topic), a topic name no topic can have, a record that cannot be serialized.
 *
 * <p>Everything else may pass and is sent again: the broker away, timeouts, leader changes, a topic not there yet, and
 * also refused authentication or authorization. Those are about the service's login or the ACLs, not the row: they
 * refuse every row of the topic alike and pass once an operator fixes them, whereas parking would strand good
 * events (a step request sent by hand hours later is worse than one held back). When in doubt, sending again is the
 * safe side: such a row no longer holds up the rows after it, which the relay sends and marks meanwhile.
 */
public final class RefusedForGood implements Predicate<Throwable> {

    private static final List<Class<? extends Throwable>> FOR_GOOD = List.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, InvalidRecordException.class, InvalidTopicException.class,
            SerializationException.class);

    /**
     * Errors after which a producer refuses everything (Kafka's TransactionManager makes them fatal): the relay needs
     * a new one once the cause is fixed, e.g. a principal given no Write on any topic.
     */
    private static final List<Class<? extends Throwable>> FATAL_TO_PRODUCER = List.of(
            ClusterAuthorizationException.class, TransactionalIdAuthorizationException.class,
            ProducerFencedException.class, UnsupportedVersionException.class, InvalidPidMappingException.class);

    @Override
    public boolean test(Throwable failure) {
        return find(failure, FOR_GOOD).isPresent();
    }

    /** The refusal itself, for the row's park reason (the failure may wrap it). */
    static Throwable reason(Throwable failure) {
        return find(failure, FOR_GOOD).orElse(failure);
    }

    /** Whether the producer that failed so is broken for good and must be replaced. */
    static boolean fatalToProducer(Throwable failure) {
        return find(failure, FATAL_TO_PRODUCER).isPresent();
    }

    private static Optional<Throwable> find(Throwable failure, List<Class<? extends Throwable>> kinds) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> kind : kinds) {
                if (kind.isInstance(t)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }
}
