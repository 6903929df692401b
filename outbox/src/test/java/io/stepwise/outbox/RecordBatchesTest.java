package io.stepwise.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stepwise.testing.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A poll of records over the real broker: what fails on its own for good is parked with its reason, the rest applied;
 * what fails in a way that may pass (the database is away) is applied again until it works, and never parked.
 */
class RecordBatchesTest {

    private final String topic = "batches-" + UUID.randomUUID();
    private final RecordBatches batches = new RecordBatches(
            KafkaClientSettings.of(Map.of("bootstrap.servers", KafkaResource.bootstrapServers())), "test",
            Duration.ofMillis(10), Duration.ofMillis(40));

    @AfterEach
    void close() {
        batches.stop(null);
    }

    @Test
    void aBatchIsAppliedTogetherWhenItCan() {
        List<List<String>> together = new ArrayList<>();
        batches.apply(poll("a", "b", "c"), ConsumerRecord::value, together::add, one -> {
            throw new AssertionError("applied one by one although the batch worked");
        });
        assertThat(together).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void whenTheBatchFailsOnlyTheRecordsThatFailOnTheirOwnAreParkedAndTheOthersApplied() {
        List<String> oneByOne = new ArrayList<>();
        batches.apply(poll("good-1", "unreadable", "poison", "good-2"),
                record -> {
                    if (record.value().equals("unreadable")) {
                        throw new IllegalArgumentException("not a step");
                    }
                    return record.value();
                },
                all -> {
                    throw new IllegalStateException("the batch failed");
                },
                one -> {
                    if (one.equals("poison")) {
                        throw new IllegalStateException("poison cannot be applied");
                    }
                    oneByOne.add(one);
                });

        assertThat(oneByOne).containsExactly("good-1", "good-2");
        Map<String, ConsumerRecord<String, String>> parked = deadLetters(2);
        assertThat(parked).containsOnlyKeys("unreadable", "poison");
        assertThat(header(parked.get("unreadable"), "dead-letter-reason")).isEqualTo("not a step");
        assertThat(header(parked.get("poison"), "dead-letter-reason")).isEqualTo("poison cannot be applied");
        assertThat(header(parked.get("poison"), "dead-letter-topic")).isEqualTo(topic);
        assertThat(header(parked.get("poison"), "dead-letter-offset")).isEqualTo("2");
        assertThat(parked.get("poison").key()).isEqualTo("key-poison");
    }

    @Test
    void aBatchThatFailsInAWayThatMayPassIsAppliedAgainUntilItWorks() {
        AtomicInteger tries = new AtomicInteger();
        List<List<String>> together = new ArrayList<>();
        batches.apply(poll("a", "b"), ConsumerRecord::value, all -> {
            if (tries.incrementAndGet() < 4) {
                throw new RuntimeException("connection refused: the database is away");
            }
            together.add(all);
        }, one -> {
            throw new AssertionError("applied one by one although only the database was away");
        });

        assertThat(together).containsExactly(List.of("a", "b"));
        assertThat(tries).hasValue(4);
        assertThat(batches.waiting()).as("nothing waits once applied").isEmpty();
    }

    @Test
    void aRecordThatFailsOnItsOwnInAWayThatMayPassIsNeverParkedOnlyTheBadOneIs() {
        Map<String, AtomicInteger> tries = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> applied = new ArrayList<>();
        batches.apply(poll("good", "slow", "poison"), ConsumerRecord::value,
                all -> {
                    throw new IllegalStateException("the batch broke a constraint");
                },
                one -> {
                    int n = tries.computeIfAbsent(one, k -> new AtomicInteger()).incrementAndGet();
                    if (one.equals("poison")) {
                        throw new IllegalArgumentException("poison cannot be applied");
                    }
                    if (one.equals("slow") && n < 5) {
                        if (n > 1) {
                            assertThat(batches.waiting()).hasValueSatisfying(w -> assertThat(w.topic()).isEqualTo(topic));
                        }
                        throw new RuntimeException("could not get a connection: connection refused");
                    }
                    applied.add(one);
                });

        assertThat(applied).containsExactly("good", "slow");
        assertThat(tries.get("slow")).hasValue(5);
        assertThat(tries.get("poison")).as("a failure no retry cures is not retried").hasValue(1);
        assertThat(deadLetters(1)).containsOnlyKeys("poison");
    }

    @Test
    void stoppingWhileAFailureIsWaitedOutLeavesThePollUnacknowledged() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CompletableFuture<Void> applying = CompletableFuture.runAsync(() -> batches.apply(poll("a"),
                ConsumerRecord::value, all -> {
                    tries.incrementAndGet();
                    throw new RuntimeException("connection refused");
                }, one -> {
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> tries.get() >= 2);

        batches.stop(null);

        assertThatThrownBy(() -> applying.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not acknowledged");
    }

    @Test
    void aRecordThatFailsWhileTheServiceStopsIsNeitherParkedNorAcknowledged() {
        batches.stop(null);

        assertThatThrownBy(() -> batches.apply(poll("good"), ConsumerRecord::value, all -> {
            throw new IllegalStateException("EntityManagerFactory is closed");
        }, one -> {
            throw new IllegalStateException("EntityManagerFactory is closed");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("neither parked nor acknowledged");
        assertThat(deadLetters(1, Duration.ofSeconds(3))).as("nothing in the dead-letter topic").isEmpty();
    }

    private ConsumerRecords<String, String> poll(String... values) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new ConsumerRecord<>(topic, 0, i, "key-" + values[i], values[i]));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records), Map.of());
    }

    private Map<String, ConsumerRecord<String, String>> deadLetters(int expected) {
        return deadLetters(expected, Duration.ofSeconds(30));
    }

    private Map<String, ConsumerRecord<String, String>> deadLetters(int expected, Duration within) {
        Map<String, ConsumerRecord<String, String>> byValue = new java.util.HashMap<>();
        try (KafkaConsumer<String, String> consumer = KafkaResource.consumer("dlq-reader", "earliest")) {
            consumer.subscribe(List.of(RecordBatches.deadLetterTopic(topic)));
            long deadline = System.nanoTime() + within.toNanos();
            while (byValue.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> byValue.put(r.value(), r));
            }
        }
        return byValue;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
