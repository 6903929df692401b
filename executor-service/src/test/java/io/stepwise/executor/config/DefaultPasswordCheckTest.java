package io.stepwise.executor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultPasswordCheckTest {

    private static DefaultPasswordCheck check(String password, Boolean refuse) {
        return new DefaultPasswordCheck(Optional.ofNullable(password), Optional.ofNullable(refuse));
    }

    @Test
    void theDefaultOrAnEmptyPasswordIsRefusedWhereRefusalIsOn() {
        assertThat(DefaultPasswordCheck.isDefault(Optional.of("stepwise"))).isTrue();
        assertThat(DefaultPasswordCheck.isDefault(Optional.of(" "))).isTrue();
        assertThat(DefaultPasswordCheck.isDefault(Optional.empty())).isTrue();
        assertThat(DefaultPasswordCheck.isDefault(Optional.of("a-real-one"))).isFalse();

        assertThatThrownBy(() -> check("stepwise", true).check(null)).hasMessageContaining("the default one")
                .hasMessageContaining("STEPWISE_DB_PASSWORD").message().doesNotContain("stepwise\"");
        assertThatThrownBy(() -> check(null, true).check(null)).hasMessageContaining("empty");
        assertThatCode(() -> check("a-real-one", true).check(null)).doesNotThrowAnyException();
        // off outside prod (the test profile here) unless asked for
        assertThatCode(() -> check("stepwise", null).check(null)).doesNotThrowAnyException();
        assertThatCode(() -> check("stepwise", false).check(null)).doesNotThrowAnyException();
    }
}
