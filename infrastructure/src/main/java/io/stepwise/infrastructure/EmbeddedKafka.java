package io.stepwise.infrastructure;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * The real Apache Kafka broker (KRaft, single node) in this JVM, started by the SmallRye companion: plaintext, or
 * with SASL PLAIN users and an authorizer with ACLs.
 */
final class EmbeddedKafka implements Kafka {

    /** Fixed, so that a kept log directory is recognised as this cluster's at the next start. */
    private static final String CLUSTER_ID = "c3RlcHdpc2UtbG9jYWwtMQ";
    /** The broker's own login, on its controller listener and towards itself; a super user. */
    static final String BROKER_USER = "broker";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String CLIENT_LISTENER = "CLIENTS";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path logDirectory;
    private final boolean throwAway;
    private final int partitions;
    private final int port;
    /** SASL users with their passwords, the super user and the broker's own among them; empty: plaintext. */
    private final Map<String, String> users = new LinkedHashMap<>();
    private final List<AclBinding> acls;
    private final boolean authorizer;
    /** Chosen at each start here, not by the companion, because the listeners of a SASL broker name it. */
    private int controllerPort;
    private EmbeddedKafkaBroker broker;
    private boolean closed;

    private EmbeddedKafka(Kafka.Builder settings) {
        this.throwAway = settings.logDirectory == null;
        this.logDirectory = throwAway ? Directories.temporary("stepwise-kafka-")
                : Directories.create(settings.logDirectory.toAbsolutePath());
        this.partitions = settings.partitions;
        this.port = settings.port == 0 ? Ports.free() : settings.port;
        if (!settings.saslUsers.isEmpty()) {
            users.put(BROKER_USER, secret());
            users.put(SUPER_USER, secret());
            users.putAll(settings.saslUsers);
        }
        this.acls = List.copyOf(settings.acls);
        this.authorizer = settings.authorizer;
    }

    private static String secret() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private boolean sasl() {
        return !users.isEmpty();
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
    public Map<String, String> clientSettings(String user) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        if (sasl()) {
            String password = users.get(user);
            if (password == null || user.equals(BROKER_USER)) {
                throw new IllegalArgumentException("no SASL user " + user + " on " + this);
            }
            settings.put("security.protocol", "SASL_PLAINTEXT");
            settings.put("sasl.mechanism", "PLAIN");
            settings.put("sasl.jaas.config", login(user, password) + ";");
        }
        return settings;
    }

    private static String login(String user, String password) {
        return PLAIN_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\"";
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
        controllerPort = Ports.free();
        broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withClusterId(CLUSTER_ID)
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withKafkaHost("localhost")
                .withDeleteLogDirsOnClose(false) // a stop() keeps the log for the next start()
                .withAdditionalProperties(props -> {
                    if (sasl()) {
                        secure(props);
                    }
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
        if (authorizer) {
            createAcls();
        }
    }

    /**
     * Replaces the companion's plaintext listeners: clients and the broker itself log in with SASL PLAIN, also on the
     * controller listener, so that nothing reaches the broker unauthenticated (no ANONYMOUS super user).
     */
    private void secure(Properties props) {
        props.put("listeners", CLIENT_LISTENER + "://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:"
                + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + port);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER
                + ":SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        // a listener's JAAS entry is both the broker's own login (username, password) and whom it accepts (user_*)
        String broker = login(BROKER_USER, users.get(BROKER_USER));
        props.put("listener.name." + CONTROLLER_LISTENER.toLowerCase() + ".plain.sasl.jaas.config",
                broker + " user_" + BROKER_USER + "=\"" + users.get(BROKER_USER) + "\";");
        props.put("listener.name." + CLIENT_LISTENER.toLowerCase() + ".plain.sasl.jaas.config", broker + " "
                + users.entrySet().stream().map(u -> "user_" + u.getKey() + "=\"" + u.getValue() + "\"")
                .collect(Collectors.joining(" ")) + ";");
        if (authorizer) {
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            props.put("super.users", "User:" + BROKER_USER + ";User:" + SUPER_USER);
            props.put("allow.everyone.if.no.acl.found", "false");
        }
    }

    /** As the super user; returns once the broker lists them all, i.e. its authorizer enforces them. */
    private void createAcls() {
        Map<String, Object> admin = new HashMap<>(clientSettings(SUPER_USER));
        try (Admin client = Admin.create(admin)) {
            if (!acls.isEmpty()) {
                client.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!client.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS).containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker does not list the ACLs created 60 s ago");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the ACLs on " + this, e);
        }
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
        return "embedded Kafka on port " + port + (sasl() ? " (SASL PLAIN" + (authorizer ? ", ACLs)" : ")") : "")
                + " (log in " + logDirectory + ")";
    }
}
