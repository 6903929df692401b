package io.stepwise.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class PlainJvmLoggingTest {

    @Test
    void theBrokerStopsBuildingTraceMessagesButStillWarns() {
        Logger broker = LoggerFactory.getLogger("kafka.network.Processor");
        assertThat(broker.isTraceEnabled()).as("outside Quarkus every logger starts at ALL").isTrue();

        PlainJvmLogging.warningsOnly();

        assertThat(broker.isTraceEnabled()).isFalse();
        assertThat(broker.isDebugEnabled()).isFalse();
        assertThat(broker.isInfoEnabled()).isFalse();
        assertThat(broker.isWarnEnabled()).isTrue();
    }
}
