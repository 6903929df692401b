package io.stepwise.planner.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.testing.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays the executor over the real broker, for the planner's own tests: reads step requests from
 * {@code stepwise.steps} and answers on {@code stepwise.step-status} as each rollout's policy says. The real
 * executor is tested end to end elsewhere; here the planner's side of the contract is under test.
 */
public class FakeExecutor implements AutoCloseable {

    public enum Reply { SUCCEED, FAIL, HOLD }

    /** A step as received, with when it arrived and when it was answered (nanoTime). */
    public record Handled(StepRequested step, long receivedAt, long answeredAt) {
    }

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Function<StepRequested, Reply>> policies = new ConcurrentHashMap<>();
    private final List<Handled> handled = new CopyOnWriteArrayList<>();
    private final List<StepRequested> held = new CopyOnWriteArrayList<>();
    /** Steps of rollouts that have no policy yet (the rollout was created a moment before its policy). */
    private final List<StepRequested> waiting = new ArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;

    public FakeExecutor() {
        consumer = KafkaResource.consumer("fake-executor", "latest");
        producer = KafkaResource.producer();
        consumer.subscribe(List.of(Topics.STEPS));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        loop = new Thread(this::run, "fake-executor");
        loop.start();
    }

    /** How to answer the steps of one rollout; steps that arrived before the policy are answered now. */
    public void answer(String rolloutId, Function<StepRequested, Reply> policy) {
        synchronized (waiting) {
            policies.put(rolloutId, policy);
            List<StepRequested> early = waiting.stream().filter(s -> s.rolloutId().equals(rolloutId)).toList();
            waiting.removeAll(early);
            early.forEach(this::handle);
        }
    }

    public List<Handled> handled(String rolloutId) {
        return handled.stream().filter(h -> h.step().rolloutId().equals(rolloutId)).toList();
    }

    public List<StepRequested> held(String rolloutId) {
        return held.stream().filter(s -> s.rolloutId().equals(rolloutId)).toList();
    }

    /** Answers a held step now. */
    public void release(StepRequested step, boolean succeed) {
        held.remove(step);
        reply(step, succeed ? StepState.SUCCEEDED : StepState.FAILED, System.nanoTime());
    }

    /** Sends a status as the executor would, with the given CloudEvents id (to test redelivery). */
    public void send(StepStatus status, String eventId) {
        ProducerRecord<String, String> record;
        try {
            record = new ProducerRecord<>(Topics.STEP_STATUS, status.clusterId(), JSON.writeValueAsString(status));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, status.eventType(false).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends raw bytes that are no status at all. */
    public void sendGarbage(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.STEP_STATUS, key, value)).get();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                var type = record.headers().lastHeader(CloudEventHeaders.TYPE);
                if (type != null && !StepRequested.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                    continue; // cancellations and probes: this executor runs every step to its end at once
                }
                StepRequested step;
                try {
                    step = JSON.readValue(record.value(), StepRequested.class);
                } catch (Exception e) {
                    continue;
                }
                synchronized (waiting) {
                    if (policies.containsKey(step.rolloutId())) {
                        handle(step);
                    } else {
                        waiting.add(step);
                    }
                }
            }
        }
    }

    private void handle(StepRequested step) {
        long received = System.nanoTime();
        Reply reply = policies.get(step.rolloutId()).apply(step);
        if (reply == Reply.HOLD) {
            held.add(step);
            handled.add(new Handled(step, received, Long.MAX_VALUE));
            return;
        }
        send(status(step, StepState.RUNNING, "started"), UUID.randomUUID().toString());
        reply(step, reply == Reply.SUCCEED ? StepState.SUCCEEDED : StepState.FAILED, received);
    }

    private void reply(StepRequested step, StepState state, long received) {
        send(status(step, state, state == StepState.FAILED ? "simulated failure of " + step.kind() : "done"),
                UUID.randomUUID().toString());
        handled.removeIf(h -> h.step().equals(step) && h.answeredAt() == Long.MAX_VALUE);
        handled.add(new Handled(step, received, System.nanoTime()));
    }

    public static StepStatus status(StepRequested step, StepState state, String message) {
        return new StepStatus(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(), state,
                step.toVersion(), message, Instant.now());
    }

    /** The most clusters that had work outstanding at the same moment (from first request to last answer). */
    public int maxConcurrentClusters(String rolloutId) {
        Map<String, long[]> spans = new ConcurrentHashMap<>();
        for (Handled h : handled(rolloutId)) {
            spans.merge(h.step().clusterId(), new long[] {h.receivedAt(), h.answeredAt()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        List<long[]> events = new ArrayList<>();
        spans.values().forEach(s -> {
            events.add(new long[] {s[0], 1});
            events.add(new long[] {s[1], -1});
        });
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] e : events) {
            current += (int) e[1];
            max = Math.max(max, current);
        }
        return max;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join(5_000);
        consumer.close();
        producer.close();
    }
}
