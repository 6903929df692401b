package io.stepwise.infrastructure;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What Postgres and Kafka run on: the embedded server and the in-JVM broker (the default, and all these machines
 * have), or Testcontainers when {@code -Dinfrastructure.backing=docker} ({@code -Pdocker}) asks for it.
 */
public enum Backing {
    EMBEDDED,
    DOCKER;

    /**
     * The system property that selects the backing; {@code -Pdocker} sets it for the tests. Not under
     * {@code stepwise.}: the services' tests run in JVMs where Quarkus refuses unknown {@code stepwise.*} keys.
     */
    public static final String PROPERTY = "infrastructure.backing";

    /** The backing this JVM was asked for; Docker only when its engine answers. */
    public static Backing selected() {
        return select(System.getProperty(PROPERTY), Backing::dockerAnswers);
    }

    /**
     * {@code requested} is the property's value (null or blank: not asked for). Docker asked for but not answering
     * is an error, never a silent fall-back to the embedded servers: a run meant for containers must not pass
     * without them.
     */
    static Backing select(String requested, BooleanSupplier dockerAnswers) {
        String value = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "", "embedded":
                return EMBEDDED;
            case "docker":
                if (!dockerAnswers.getAsBoolean()) {
                    throw new IllegalStateException(PROPERTY + "=docker (-Pdocker) but no Docker engine answers:"
                            + " start one, or run without -Pdocker on the embedded Postgres and Kafka");
                }
                return DOCKER;
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + requested + ": use embedded or docker");
        }
    }

    private static boolean dockerAnswers() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
}
