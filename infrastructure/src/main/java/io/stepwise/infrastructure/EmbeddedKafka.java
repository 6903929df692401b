package io.stepwise.infrastructure;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;

/** The real Apache Kafka broker (KRaft, single node) in this JVM, started by the SmallRye companion. */
final class EmbeddedKafka implements Kafka {

    /** Fixed, so that a kept log directory is recognised as this cluster's at the next start. */
    private static final String CLUSTER_ID = "c3RlcHdpc2UtbG9jYWwtMQ";

    private final Path logDirectory;
    private final boolean throwAway;
    private final int partitions;
    private final int port;
    private EmbeddedKafkaBroker broker;
    private boolean closed;

    private EmbeddedKafka(Kafka.Builder settings) {
        this.throwAway = settings.logDirectory == null;
        this.logDirectory = throwAway ? Directories.temporary("stepwise-kafka-")
                : Directories.create(settings.logDirectory.toAbsolutePath());
        this.partitions = settings.partitions;
        this.port = settings.port == 0 ? Ports.free() : settings.port;
    }

    static Kafka start(Kafka.Builder settings) {
        EmbeddedKafka kafka = new EmbeddedKafka(settings);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-closer"));
        return kafka;
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized boolean isRunning() {
        return broker != null;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Kafka was closed");
        }
        if (broker != null) {
            return;
        }
        broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withClusterId(CLUSTER_ID)
                .withKafkaPort(port)
                .withKafkaHost("localhost")
                .withDeleteLogDirsOnClose(false) // a stop() keeps the log for the next start()
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", logDirectory.toString());
                    // one broker: internal topics must not ask for more replicas, or consumer groups never form
                    props.put("offsets.topic.replication.factor", "1");
                    props.put("transaction.state.log.replication.factor", "1");
                    props.put("transaction.state.log.min.isr", "1");
                    props.put("share.coordinator.state.topic.replication.factor", "1");
                    props.put("group.initial.rebalance.delay.ms", "0");
                    props.put("num.partitions", String.valueOf(partitions));
                    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
                })
                .start();
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            try {
                broker.close();
            } finally {
                broker = null;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (throwAway) {
                Directories.deleteQuietly(logDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "embedded Kafka on port " + port + " (log in " + logDirectory + ")";
    }
}
