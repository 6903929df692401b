package io.stepwise.planner.messaging;

import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_EXCEPTION_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Parks a status record that cannot be applied in {@code stepwise.step-status.dlq}, as SmallRye's
 * dead-letter strategy would (same headers, original key, value and headers kept), so that the rest of its
 * batch goes on. The status consumer reads in batches, and SmallRye's strategy would park the whole batch.
 */
@ApplicationScoped
public class DeadLetters {

    private final KafkaClients kafka;

    public DeadLetters(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /** Returns once the broker has the record; throws (so the batch is not acknowledged) if it cannot. */
    public void park(ConsumerRecord<String, String> record, Throwable reason) {
        ProducerRecord<String, String> letter = new ProducerRecord<>(KafkaClients.STEP_STATUS_DEAD_LETTERS, null,
                record.key(), record.value(), record.headers());
        header(letter, DEAD_LETTER_EXCEPTION_CLASS_NAME, reason.getClass().getName());
        header(letter, DEAD_LETTER_REASON, String.valueOf(reason.getMessage()));
        if (reason.getCause() != null) {
            header(letter, DEAD_LETTER_CAUSE_CLASS_NAME, reason.getCause().getClass().getName());
            header(letter, DEAD_LETTER_CAUSE, String.valueOf(reason.getCause().getMessage()));
        }
        header(letter, DEAD_LETTER_TOPIC, record.topic());
        header(letter, DEAD_LETTER_PARTITION, Integer.toString(record.partition()));
        header(letter, DEAD_LETTER_OFFSET, Long.toString(record.offset()));
        try {
            kafka.producer().send(letter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking a status record", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not park a status record in " + KafkaClients.STEP_STATUS_DEAD_LETTERS, e);
        }
        Log.warnf("Status record %s-%d@%d parked in %s: %s", record.topic(), record.partition(), record.offset(),
                KafkaClients.STEP_STATUS_DEAD_LETTERS, reason.getMessage());
    }

    private static void header(ProducerRecord<String, String> letter, String name, String value) {
        letter.headers().remove(name);
        letter.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
