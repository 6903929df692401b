package io.stepwise.infrastructure;

import java.util.logging.Level;
import org.jboss.logmanager.LogContext;

/**
 * Logging for a JVM that hosts the broker and the simulator outside a Quarkus application (the bench, the local
 * stack). Quarkus' bootstrap jar, on their class path, registers a log configurator that leaves every logger at level
 * ALL and holds the records for a Quarkus start that never comes. So, unless told otherwise, the Kafka broker builds
 * every trace message it has (request and response dumps, several per request) only for them to be dropped: in the
 * bench that was ~10 % of the harness JVM's allocation. A Quarkus service or test configures its own logging instead
 * ({@code quarkus.log.*}).
 */
public final class PlainJvmLogging {

    private PlainJvmLogging() {
    }

    /** Loggers below WARNING are off from here on: nothing builds a message that no one will read. */
    public static void warningsOnly() {
        LogContext.getSystemLogContext().getLogger("").setLevel(Level.WARNING);
    }
}
