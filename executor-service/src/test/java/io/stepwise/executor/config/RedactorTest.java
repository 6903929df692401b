package io.stepwise.executor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(() -> Set.of("s3cr3t-value", "s3cr3t-value-longer", "abc"));

    @Test
    void knownSecretsAndCredentialShapesAreTakenOut() {
        String text = """
                curl -H 'Authorization: Bearer eyJhbGciOi.x.y'
                curl https://u:pa55@host/x
                PGPASSWORD=hunter2 token: abc123 "api_key": "k-1" key s3cr3t-value-longer and s3cr3t-value
                bearer zzz""";

        String redacted = redactor.redact(text);

        assertThat(redacted).doesNotContain("eyJhbGciOi", "pa55", "hunter2", "abc123", "k-1", "s3cr3t", "zzz")
                .contains("Authorization: [redacted]", "https://u:[redacted]@host/x", "PGPASSWORD=[redacted]",
                        "token: [redacted]", "\"api_key\": \"[redacted]\"", "bearer [redacted]");
        // too short to be told from words: not searched for
        assertThat(redactor.redact("a abc b")).isEqualTo("a abc b");
    }

    @Test
    void referencesAndSettingNamesStayReadable() {
        String message = "the credentials reference 'secret:prod-eu-1' of cluster c1 resolves to nothing: set "
                + "stepwise.executor.secrets.\"prod-eu-1\".value; the reference 'config:quarkus.datasource.password'";
        assertThat(redactor.redact(message)).isEqualTo(message);
    }

    @Test
    void messagesLoseControlCharactersAndAreBounded() {
        assertThat(redactor.message("a\u0007b\nc\td\u001b[31m")).isEqualTo("ab\nc\td[31m");
        assertThat(redactor.message("x".repeat(5000))).hasSize(Redactor.MAX_MESSAGE + 1).endsWith("…");
        assertThat(redactor.excerpt("line one\r\nline\u0000two " + "y".repeat(500)))
                .startsWith("line one line two").hasSize(Redactor.MAX_EXCERPT + 1);
        assertThat(redactor.redact(redactor.redact("password=x Authorization: Bearer y")))
                .isEqualTo("password=[redacted] Authorization: [redacted]");
    }
}
