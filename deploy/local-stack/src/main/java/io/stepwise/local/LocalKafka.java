package io.stepwise.local;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * The real Apache Kafka broker (KRaft, single node) run inside the launcher, as in the tests, with its log kept
 * under the data folder so events the services have not consumed yet survive a restart of the stack.
 */
final class LocalKafka {

    /** Fixed, so the kept log directory is recognised as this cluster's on the next start. */
    private static final String CLUSTER_ID = "c3RlcHdpc2UtbG9jYWwtMQ";

    private LocalKafka() {
    }

    static EmbeddedKafkaBroker start(int port, Path logDir) {
        return new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withClusterId(CLUSTER_ID)
                .withKafkaPort(port)
                .withKafkaHost("localhost")
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", logDir.toString());
                    // one broker: internal topics must not ask for more replicas, or consumer groups never form
                    props.put("offsets.topic.replication.factor", "1");
                    props.put("transaction.state.log.replication.factor", "1");
                    props.put("transaction.state.log.min.isr", "1");
                    props.put("share.coordinator.state.topic.replication.factor", "1");
                    props.put("group.initial.rebalance.delay.ms", "0");
                    // topics created by a first subscriber get enough partitions for several executors
                    props.put("num.partitions", "12");
                    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
                })
                .start();
    }
}
