package io.stepwise.executor.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start a deployed executor (the {@code prod} profile, what {@code java -jar} runs) whose database password
 * is the built-in default ({@code stepwise}) or empty: the defaults are for a laptop, and a ledger anyone can open
 * lets them forge what the executor did. {@code stepwise.datasource.refuse-default-password} overrides the profile
 * either way.
 */
@Singleton
public class DefaultPasswordCheck {

    static final String DEFAULT_PASSWORD = "stepwise";

    private final Optional<String> password;
    private final Optional<Boolean> refuse;

    @Inject
    DefaultPasswordCheck(@ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                         DatasourceConfig config) {
        this(password, config.refuseDefaultPassword());
    }

    DefaultPasswordCheck(Optional<String> password, Optional<Boolean> refuse) {
        this.password = password;
        this.refuse = refuse;
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        if (refuse.orElseGet(() -> ConfigUtils.isProfileActive("prod")) && isDefault(password)) {
            throw new IllegalStateException("The executor's database password is " + (password.filter(p -> !p.isEmpty())
                    .isPresent() ? "the default one" : "empty") + ": set STEPWISE_DB_PASSWORD (quarkus.datasource.password)"
                    + " to the password of its database user. A deployed executor does not start without one.");
        }
    }

    static boolean isDefault(Optional<String> password) {
        return password.map(String::strip).filter(p -> !p.isEmpty() && !p.equals(DEFAULT_PASSWORD)).isEmpty();
    }
}
