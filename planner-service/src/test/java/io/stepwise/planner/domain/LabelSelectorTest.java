package io.stepwise.planner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final Map<String, String> PROD_EU = Map.of("env", "prod", "region", "eu", "tier", "vector");

    @ParameterizedTest(name = "''{0}'' matches prod/eu: {1}")
    @CsvSource(delimiter = '|', value = {
            "env=prod|true",
            "env==prod|true",
            "env=staging|false",
            "env!=staging|true",
            "env!=prod|false",
            "owner!=team-a|true",
            "region in (eu, us)|true",
            "region in (us,ap)|false",
            "region notin (us)|true",
            "owner notin (team-a)|true",
            "tier|true",
            "!canary|true",
            "!tier|false",
            "env=prod,region in (eu,us),!canary|true",
            "env=prod , region=us|false",
            "''|true"})
    void matchesAsKubernetesDoes(String selector, boolean matches) {
        assertThat(LabelSelector.parse(selector).matches(PROD_EU)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"env=prod,,tier", "region in (eu", "region in eu)", "env=pr od", "=prod",
            "env=prod!", "-bad=x", "env=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void refusesMalformedSelectorsSayingWhere(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("'");
    }
}
