package io.stepwise.infrastructure;

import java.nio.file.Path;

/**
 * The Kafka broker (one KRaft node): the real broker in this JVM or, with the Docker backing, the official
 * {@code apache/kafka} image in a Testcontainers container. It can be stopped and started again on the same port
 * with the same log, as an outage would.
 */
public interface Kafka extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** {@code host:port}, for {@code bootstrap.servers}. */
    String bootstrapServers();

    int port();

    boolean isRunning();

    /** Stops the broker, keeping its port and log for {@link #start()}; clients retry until it is back. */
    void stop();

    /** Starts a stopped broker again on the same port with the same log. */
    void start();

    /** Stops and starts the broker (same port, same log). */
    default void restart() {
        stop();
        start();
    }

    /** Stops the broker for good; a throw-away log directory is deleted. */
    @Override
    void close();

    /** What to start; {@link #start()} starts it. */
    final class Builder {
        int port;
        Path logDirectory;
        int partitions = 4;
        Backing backing;

        private Builder() {
        }

        /** The port to listen on; 0 (the default) picks a free one, kept across {@link Kafka#stop()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Where the log lives, kept after {@link Kafka#close()} so that events not consumed yet survive a restart of
         * the whole stack. Without one, a throw-away directory. Embedded backing only.
         */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = logDirectory;
            return this;
        }

        /** Partitions of a topic the broker creates because a client used it (default 4). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** The backing; by default {@link Backing#selected()}. */
        public Builder backing(Backing backing) {
            this.backing = backing;
            return this;
        }

        public Kafka start() {
            Backing chosen = backing != null ? backing : Backing.selected();
            return chosen == Backing.DOCKER ? DockerKafka.start(this) : EmbeddedKafka.start(this);
        }
    }
}
