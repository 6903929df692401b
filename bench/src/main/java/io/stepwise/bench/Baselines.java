package io.stepwise.bench;

import io.stepwise.outbox.OutboxRelay;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What this machine's broker and Postgres do without Stepwise in between, measured on the same servers. */
final class Baselines {

    private static final int PARTITIONS = 12;
    private static final int PAYLOAD = 500;

    private Baselines() {
    }

    /**
     * Round trips: produce (acks=all) to a ping topic, an echo consumes it and produces (acks=all) a reply to a pong
     * topic, which the client consumes. First one at a time (latency), then with many in flight (rate).
     */
    static Map<String, Object> kafka() throws Exception {
        String bootstrap = Bench.kafka().bootstrapServers();
        String ping = "bench.ping", pong = "bench.pong";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            for (String t : List.of(ping, pong)) {
                if (!existing.contains(t)) {
                    create.add(new NewTopic(t, PARTITIONS, (short) 1));
                }
            }
            admin.createTopics(create).all().get();
        }
        AtomicBoolean running = new AtomicBoolean(true);
        KafkaProducer<String, byte[]> echoProducer = producer(bootstrap);
        KafkaConsumer<String, byte[]> echoConsumer = consumer(bootstrap, ping);
        Thread echo = new Thread(() -> {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : echoConsumer.poll(Duration.ofMillis(100))) {
                    echoProducer.send(new ProducerRecord<>(pong, r.key(), r.value()));
                }
            }
        }, "bench-echo");
        echo.start();

        KafkaProducer<String, byte[]> client = producer(bootstrap);
        KafkaConsumer<String, byte[]> replies = consumer(bootstrap, pong);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong received = new AtomicLong();
        Semaphore window = new Semaphore(0);
        Thread reader = new Thread(() -> {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : replies.poll(Duration.ofMillis(100))) {
                    long sent = ByteBuffer.wrap(r.value()).getLong();
                    latencies.add((System.nanoTime() - sent) / 1e6);
                    received.incrementAndGet();
                    window.release();
                }
            }
        }, "bench-reader");
        reader.start();

        Map<String, Object> result = new LinkedHashMap<>();
        try {
            // warm-up
            runTrips(client, ping, 500, 50, window, Duration.ofSeconds(30));
            latencies.clear();
            long t0 = System.nanoTime();
            int serial = runTrips(client, ping, 1000, 1, window, Duration.ofSeconds(20));
            double serialSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> one = new LinkedHashMap<>(Stats.summary(new ArrayList<>(latencies)));
            one.put("roundTripsPerSecond", Stats.round(serial / serialSeconds));
            result.put("oneInFlight", one);
            Bench.progress("  kafka, one in flight: %s", one);

            latencies.clear();
            t0 = System.nanoTime();
            int done = runTrips(client, ping, 60_000, 500, window, Duration.ofSeconds(12));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> many = new LinkedHashMap<>(Stats.summary(new ArrayList<>(latencies)));
            many.put("inFlight", 500);
            many.put("roundTripsPerSecond", Stats.round(done / seconds));
            many.put("hopsPerSecond", Stats.round(2 * done / seconds));
            result.put("pipelined", many);
            result.put("payloadBytes", PAYLOAD);
            result.put("partitions", PARTITIONS);
            result.put("producer", "as the services' outbox relays: acks=all, idempotent, linger.ms=1");
            Bench.progress("  kafka, 500 in flight: %s", many);
        } finally {
            running.set(false);
            echo.join(5000);
            reader.join(5000);
            client.close();
            echoProducer.close();
            echoConsumer.close();
            replies.close();
        }
        return result;
    }

    /** Sends up to {@code count} pings with at most {@code inFlight} unanswered; answers the completed round trips. */
    private static int runTrips(KafkaProducer<String, byte[]> client, String topic, int count, int inFlight,
                                Semaphore window, Duration maxTime) throws InterruptedException {
        window.drainPermits();
        window.release(inFlight);
        long deadline = System.nanoTime() + maxTime.toNanos();
        int sent = 0;
        while (sent < count && System.nanoTime() < deadline) {
            if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(PAYLOAD);
            b.putLong(System.nanoTime());
            client.send(new ProducerRecord<>(topic, "k" + (sent % 1000), b.array()));
            sent++;
        }
        // wait for the stragglers: all permits back
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (window.availablePermits() < inFlight && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        return sent - (inFlight - window.availablePermits());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = OutboxRelay.producerSettings(bootstrap);   // as the services produce
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            parts.add(new TopicPartition(topic, i));
        }
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);   // resolve the end now, before anything is sent
        return c;
    }

    /** Rounds of the Postgres baseline at the start; the bound uses the best of them and {@link #postgresRoundNow}. */
    static final int POSTGRES_ROUNDS = 3;

    /**
     * One connection, one INSERT + COMMIT per transaction, in {@link #POSTGRES_ROUNDS} rounds of 3 s after a 2 s
     * warm-up. The rate reported is the best round's: what the machine can do in this run. On a shared machine a
     * round can land in a neighbour's burst (one run measured 1,876 commits/s where the runs around it measured
     * 2,900–3,300), and a bound taken from it would flatter the ratio to it.
     */
    static Map<String, Object> postgres() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        try (Connection c = Bench.postgres().connect("bench_baseline")) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists commits (id bigserial primary key, payload text not null,"
                        + " at timestamptz not null default now())");
                s.execute("show synchronous_commit");
                var rs = s.getResultSet();
                rs.next();
                result.put("synchronousCommit", rs.getString(1));
                s.execute("show fsync");
                rs = s.getResultSet();
                rs.next();
                result.put("fsync", rs.getString(1));
            }
            List<Double> latencies = new ArrayList<>();
            List<Double> rates = commitRounds(c, 2, POSTGRES_ROUNDS, latencies);
            result.put("commitsPerSecond", rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            result.put("commitsPerSecondByRound", rates);
            result.putAll(Stats.summary(latencies));
            result.put("connections", 1);
        }
        Bench.progress("  postgres, one connection: %s", result);
        return result;
    }

    /**
     * One more round of 3 s (after 1 s of warm-up), for right before the throughput run: the rounds at the start ran
     * five minutes earlier, and on this shared machine the rate moved by a factor of two within an hour.
     */
    static double postgresRoundNow() throws Exception {
        try (Connection c = Bench.postgres().connect("bench_baseline")) {
            return commitRounds(c, 1, 1, new ArrayList<>()).get(0);
        }
    }

    /** Rounds of 3 s of one-row commits after {@code warmUpSeconds}: each round's rate; every commit's latency. */
    private static List<Double> commitRounds(Connection c, int warmUpSeconds, int rounds, List<Double> latencies)
            throws Exception {
        c.setAutoCommit(false);
        String payload = "x".repeat(200);
        List<Double> rates = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement("insert into commits (payload) values (?)")) {
            long warm = System.nanoTime() + warmUpSeconds * 1_000_000_000L;
            while (System.nanoTime() < warm) {
                insert.setString(1, payload);
                insert.executeUpdate();
                c.commit();
            }
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                long end = t0 + 3_000_000_000L;
                int n = 0;
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    insert.setString(1, payload);
                    insert.executeUpdate();
                    c.commit();
                    latencies.add((System.nanoTime() - s) / 1e6);
                    n++;
                }
                rates.add(Stats.round(n / ((System.nanoTime() - t0) / 1e9)));
            }
        }
        return rates;
    }
}
