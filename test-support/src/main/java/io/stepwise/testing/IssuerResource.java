package io.stepwise.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stepwise.infrastructure.LocalIssuer;
import java.time.Duration;
import java.util.Map;

/**
 * The identity provider every test class of a JVM shares: a {@link LocalIssuer} whose tokens the planner checks
 * through its discovery document and JWKS, as it checks a real provider's.
 */
public class IssuerResource implements QuarkusTestResourceLifecycleManager {

    private static LocalIssuer issuer;

    public static synchronized LocalIssuer issuer() {
        if (issuer == null) {
            issuer = LocalIssuer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(issuer::close));
        }
        return issuer;
    }

    /** A token for this subject with these roles, valid for an hour. */
    public static String token(String subject, String... roles) {
        return issuer().token(subject, Duration.ofHours(1), roles);
    }

    @Override
    public Map<String, String> start() {
        return issuer().plannerProperties();
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; the shutdown hook closes it
    }
}
