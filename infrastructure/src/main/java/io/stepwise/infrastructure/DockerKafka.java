package io.stepwise.infrastructure;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The official {@code apache/kafka} image, the version the embedded broker runs, in a Testcontainers container. */
final class DockerKafka implements Kafka {

    static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.1");
    private static final int KAFKA_PORT = 9092;

    private final KafkaContainer container;
    private final int port;
    private boolean running;

    private DockerKafka(KafkaContainer container, int port) {
        this.container = container;
        this.port = port;
    }

    static Kafka start(Kafka.Builder settings) {
        if (settings.logDirectory != null) {
            throw new IllegalArgumentException("a kept Kafka log directory needs the embedded backing");
        }
        if (!settings.saslUsers.isEmpty() || settings.authorizer) {
            throw new IllegalArgumentException("SASL users and ACLs need the embedded backing");
        }
        int port = settings.port == 0 ? Ports.free() : settings.port;
        // the embedded broker's settings (the container's own already keep internal topics at one replica)
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(settings.partitions));
        DockerSupport.bind(container, KAFKA_PORT, port);
        container.start();
        DockerKafka kafka = new DockerKafka(container, port);
        kafka.running = true;
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-container-closer"));
        return kafka;
    }

    @Override
    public String bootstrapServers() {
        return container.getHost() + ":" + port;
    }

    /** Plaintext only: the address, whoever the user. */
    @Override
    public Map<String, String> clientSettings(String user) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void stop() {
        if (running) {
            DockerSupport.stop(container);
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            DockerSupport.start(container, this::answers, "Kafka");
            running = true;
        }
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000"))) {
            admin.describeCluster().nodes().get();
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        container.stop();
    }

    @Override
    public String toString() {
        return "Kafka container " + IMAGE + " on port " + port;
    }
}
