package io.stepwise.executor.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.executor.handler.StepFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint rules on their own; no endpoint here is ever connected to, only parsed and (for literals) matched. */
class EndpointPolicyTest {

    private final EndpointPolicy none = new EndpointPolicy(List.of());
    private final EndpointPolicy lab = new EndpointPolicy(List.of("*.svc.cluster.local", "10.0.0.0/8", "127.0.0.1",
            "localhost", "fd00::/8"));

    private static void allowed(EndpointPolicy policy, String endpoint) {
        assertThatCode(() -> policy.check("c1", endpoint)).as(endpoint).doesNotThrowAnyException();
    }

    private static void refused(EndpointPolicy policy, String endpoint, String why) {
        assertThatThrownBy(() -> policy.check("c1", endpoint)).as(endpoint).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("'" + endpoint + "'").hasMessageContaining(why).hasMessageContaining("nothing was sent");
    }

    @Test
    void httpsGoesAnywhereButPlainHttpOnlyWhereListed() {
        allowed(none, "https://10.1.2.3:8443");
        allowed(none, "grpcs://10.1.2.3:650");
        refused(none, "http://10.1.2.3:8080", "not https");
        refused(none, "10.1.2.3:650", "not https");
        allowed(lab, "http://10.1.2.3:8080");
        allowed(lab, "10.1.2.3:650");
        allowed(lab, "http://[fd00::1]:8080");
        refused(lab, "http://192.168.1.5:8080", "not https");
        refused(lab, "http://11.0.0.1", "not https");
    }

    @Test
    void metadataLinkLocalAndLoopbackAddressesNeedAnExactEntry() {
        for (String endpoint : List.of("https://169.254.169.254/", "http://169.254.169.254/latest",
                "https://[fe80::1]/", "https://[fd00:ec2::254]/", "https://100.100.100.200/",
                "https://metadata.google.internal/", "https://[::ffff:169.254.169.254]/", "https://0.0.0.0:8080")) {
            refused(none, endpoint, "metadata");
            refused(lab, endpoint, "metadata");
        }
        refused(none, "https://127.0.0.1:8443", "loopback");
        refused(new EndpointPolicy(List.of("*")), "https://127.0.0.1:8443", "loopback");
        refused(new EndpointPolicy(List.of("0.0.0.0/0")), "https://169.254.169.254", "metadata");
        refused(new EndpointPolicy(List.of("169.0.0.0/8")), "http://169.254.169.254", "metadata");
        allowed(new EndpointPolicy(List.of("169.254.0.0/16")), "http://169.254.169.254");
        allowed(lab, "http://127.0.0.1:8080");
        allowed(new EndpointPolicy(List.of("169.254.169.254")), "http://169.254.169.254/");
    }

    @Test
    void urlsThatCarryCredentialsOrStrangeSchemesAreRefused() {
        refused(none, "https://user:pass@weaviate.example", "credentials in the URL");
        refused(none, "file:///etc/passwd", "names no host");
        refused(none, "ftp://weaviate.example", "scheme 'ftp'");
        refused(none, "https://weaviate.example/\nHost: x", "control characters");
        refused(none, "", "empty");
    }

    @Test
    void aCidrEntryIsMatchedBitByBit() {
        EndpointPolicy.Cidr cidr = EndpointPolicy.Cidr.parse("10.128.0.0/9");
        org.assertj.core.api.Assertions.assertThat(cidr.contains(address("10.200.1.1"))).isTrue();
        org.assertj.core.api.Assertions.assertThat(cidr.contains(address("10.127.1.1"))).isFalse();
        org.assertj.core.api.Assertions.assertThat(cidr.contains(address("::1"))).isFalse();
        assertThatThrownBy(() -> EndpointPolicy.Cidr.parse("weaviate.example/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndpointPolicy.Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    private static java.net.InetAddress address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
