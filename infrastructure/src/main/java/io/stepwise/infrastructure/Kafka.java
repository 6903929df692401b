package io.stepwise.infrastructure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The Kafka broker (one KRaft node): the real broker in this JVM or, with the Docker backing, the official
 * {@code apache/kafka} image in a Testcontainers container. It can be stopped and started again on the same port
 * with the same log, as an outage would.
 *
 * <p>By default anyone may connect in plaintext and do anything. With {@link Builder#saslUser SASL users} (embedded
 * backing only) clients must log in as one of them, and with {@link Builder#acls ACLs} each may do only what an ACL
 * grants it, as on a production cluster.
 */
public interface Kafka extends AutoCloseable {

    /**
     * The user of a broker with SASL users who may do anything (a super user): it creates the ACLs, and tests use it
     * to look at topics without an ACL of their own. Its password is made up at start ({@link #clientSettings}).
     */
    String SUPER_USER = "admin";

    static Builder builder() {
        return new Builder();
    }

    /** {@code host:port}, for {@code bootstrap.servers}. */
    String bootstrapServers();

    /**
     * What a Kafka client needs to connect as {@code user}, named as Kafka names them: {@code bootstrap.servers} and,
     * on a broker with SASL users, {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} with
     * that user's login (an unknown user is refused). On a plaintext broker, {@code bootstrap.servers} alone, for any
     * user.
     */
    Map<String, String> clientSettings(String user);

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
        final Map<String, String> saslUsers = new LinkedHashMap<>();
        final List<AclBinding> acls = new ArrayList<>();
        boolean authorizer;

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

        /**
         * A user clients may log in as with SASL PLAIN. With at least one, the broker's only listener clients reach is
         * SASL_PLAINTEXT (the controller's too, for the broker itself), and there is also {@link Kafka#SUPER_USER}.
         * Embedded backing only.
         */
        public Builder saslUser(String name, String password) {
            if (name.equals(SUPER_USER) || name.equals(EmbeddedKafka.BROKER_USER)) {
                throw new IllegalArgumentException(name + " is the broker's own user");
            }
            if (!name.matches("[A-Za-z0-9._-]+") || password.isEmpty() || password.contains("\"")
                    || password.contains("\\")) {
                throw new IllegalArgumentException("a user name of letters, digits, '.', '_' and '-', and a password"
                        + " without quotes or backslashes (they go into a JAAS configuration)");
            }
            saslUsers.put(name, password);
            return this;
        }

        /**
         * Turns on the authorizer (KRaft's {@code StandardAuthorizer}): a user may do only what these ACLs grant it
         * (principals {@code User:<name>}), {@link Kafka#SUPER_USER} anything. The super user creates them at every
         * start (creating one that exists changes nothing), and the start returns once the broker enforces them.
         * Needs SASL users.
         */
        public Builder acls(Collection<AclBinding> acls) {
            this.acls.addAll(acls);
            this.authorizer = true;
            return this;
        }

        /** The backing; by default {@link Backing#selected()}. */
        public Builder backing(Backing backing) {
            this.backing = backing;
            return this;
        }

        public Kafka start() {
            if (authorizer && saslUsers.isEmpty()) {
                throw new IllegalArgumentException("ACLs need SASL users: without them every client is ANONYMOUS");
            }
            Backing chosen = backing != null ? backing : Backing.selected();
            return chosen == Backing.DOCKER ? DockerKafka.start(this) : EmbeddedKafka.start(this);
        }
    }
}
