package io.stepwise.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Which backing runs, without a Docker engine: whether one answers is stubbed. */
class BackingTest {

    private final AtomicInteger asked = new AtomicInteger();

    private BooleanSupplier engine(boolean answers) {
        return () -> {
            asked.incrementAndGet();
            return answers;
        };
    }

    @Test
    void dockerAskedForAndTheEngineAnswers() {
        assertThat(Backing.select("docker", engine(true))).isEqualTo(Backing.DOCKER);
        assertThat(Backing.select(" DOCKER ", engine(true))).isEqualTo(Backing.DOCKER);
    }

    @Test
    void dockerAskedForButNoEngineAnswersFailsInOneLineInsteadOfFallingBack() {
        assertThatThrownBy(() -> Backing.select("docker", engine(false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine answers")
                .hasMessageContaining("-Pdocker")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void notAskedForIsEmbeddedWithoutLookingForAnEngine() {
        assertThat(Backing.select(null, engine(true))).isEqualTo(Backing.EMBEDDED);
        assertThat(Backing.select("", engine(true))).isEqualTo(Backing.EMBEDDED);
        assertThat(Backing.select("embedded", engine(true))).isEqualTo(Backing.EMBEDDED);
        assertThat(asked).hasValue(0);
    }

    @Test
    void anUnknownBackingIsRefused() {
        assertThatThrownBy(() -> Backing.select("podman", engine(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("infrastructure.backing=podman");
    }

    @Test
    void theBuildRunsTheseTestsEmbeddedUnlessToldOtherwise() {
        // what the parent pom passes to every test JVM (docker only with -Pdocker)
        assertThat(System.getProperty(Backing.PROPERTY, "embedded")).isIn("embedded", "docker");
    }
}
