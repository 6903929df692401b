package io.stepwise.executor.config;

import io.quarkus.runtime.Startup;
import io.stepwise.executor.handler.StepFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which cluster endpoints the executor may call, checked before every request and every pachctl run: https (or grpcs)
 * only, unless the host is in {@code stepwise.executor.allowed-endpoints} (host patterns, or CIDRs that the resolved
 * addresses must fall in). Loopback, unspecified, link-local and cloud metadata addresses are refused, whatever the
 * scheme, unless an entry names them on purpose (a host without wildcards, or a CIDR of /16, IPv6 /64, or narrower):
 * an inventory entry must not turn the executor against its own host or the metadata service of the machine it runs on.
 *
 * <p>The host is resolved here and again by the HTTP client, so a name whose DNS answer changes in between (rebinding)
 * is not caught; allowed-endpoints CIDRs and a NetworkPolicy on the executor's egress bound what it could reach.
 */
@Startup // a mistyped allow-list stops the executor at start rather than failing steps later
@ApplicationScoped
public class EndpointPolicy {

    /** Names of cloud metadata services (GCP, AWS, Azure and generic), refused by name before any lookup. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");
    /** Metadata addresses outside the link-local ranges: AWS's IPv6 one, Alibaba's. */
    private static final List<Cidr> METADATA_ADDRESSES = List.of(Cidr.parse("fd00:ec2::254/128"),
            Cidr.parse("100.100.100.200/32"));
    private static final Set<String> SECURE = Set.of("https", "grpcs");
    private static final Set<String> PLAIN = Set.of("http", "grpc");

    private record Entry(String text, Pattern host, Cidr cidr) {
        /** Names a special address on purpose: a host without wildcards, or a CIDR of /16 (IPv6 /64) or narrower. */
        boolean exact() {
            return cidr != null ? cidr.prefix() >= (cidr.network().length == 4 ? 16 : 64) : !text.contains("*");
        }
    }

    private final List<Entry> allowed;

    @Inject
    public EndpointPolicy(ExecutorConfig config) {
        this(config.allowedEndpoints().orElse(List.of()));
    }

    EndpointPolicy(List<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/")) {
                parsed.add(new Entry(entry, null, Cidr.parse(entry)));
            } else {
                String regex = Stream.of(entry.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining("[^/]*"));
                parsed.add(new Entry(entry, Pattern.compile(regex), null));
            }
        }
        this.allowed = List.copyOf(parsed);
    }

    /**
     * Refuses (StepFailedException, naming the endpoint and the setting) an endpoint the executor may not call; a
     * pachd address without a scheme ({@code host:650}) is taken as plain grpc.
     */
    public void check(String clusterId, String endpoint) {
        URI uri = parse(clusterId, endpoint);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = host(uri);
        if (!SECURE.contains(scheme) && !PLAIN.contains(scheme)) {
            throw refused(clusterId, endpoint, "its scheme '" + scheme + "' is none of https, grpcs (or http, grpc when"
                    + " allowed)");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(clusterId, endpoint, "it carries credentials in the URL; name them in credentialsRef instead");
        }
        List<InetAddress> addresses = resolve(host);
        boolean special = METADATA_NAMES.contains(host) || addresses.stream().anyMatch(EndpointPolicy::special);
        if (special && !explicitlyAllowed(host, addresses)) {
            throw refused(clusterId, endpoint, "it is a loopback, link-local or cloud metadata address, which only an"
                    + " exact entry of stepwise.executor.allowed-endpoints opens");
        }
        if (PLAIN.contains(scheme) && !allows(host, addresses)) {
            throw refused(clusterId, endpoint, "it is not https and its host is not in stepwise.executor.allowed-endpoints"
                    + (allowed.isEmpty() ? " (empty)" : " " + allowed.stream().map(Entry::text).toList()));
        }
    }

    private static URI parse(String clusterId, String endpoint) {
        String text = endpoint == null ? "" : endpoint.trim();
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw refused(clusterId, endpoint, "it is empty or holds spaces or control characters");
        }
        try {
            URI uri = new URI(text.contains("://") ? text : "grpc://" + text);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isBlank()) {
                throw refused(clusterId, endpoint, "it names no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw refused(clusterId, endpoint, "it is not a URL");
        }
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The host's addresses; none when it does not resolve (the call then fails by itself, reaching nothing). */
    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }

    static boolean special(InetAddress address) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || METADATA_ADDRESSES.stream().anyMatch(c -> c.contains(address));
    }

    private boolean explicitlyAllowed(String host, List<InetAddress> addresses) {
        if (allowed.stream().anyMatch(e -> e.host() != null && e.exact() && e.host().matcher(host).matches())) {
            return true;
        }
        return !addresses.isEmpty() && addresses.stream().allMatch(a -> allowed.stream()
                .anyMatch(e -> e.cidr() != null && e.exact() && e.cidr().contains(a)));
    }

    private boolean allows(String host, List<InetAddress> addresses) {
        if (allowed.stream().anyMatch(e -> e.host() != null && e.host().matcher(host).matches())) {
            return true;
        }
        return !addresses.isEmpty() && addresses.stream().allMatch(a -> allowed.stream()
                .anyMatch(e -> e.cidr() != null && e.cidr().contains(a)));
    }

    private static StepFailedException refused(String clusterId, String endpoint, String why) {
        return new StepFailedException("the endpoint '" + endpoint + "' of cluster " + clusterId + " is refused: " + why
                + "; nothing was sent");
    }

    /** An address block, IPv4 or IPv6. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            try {
                byte[] network = InetAddress.getByName(literal(parts[0])).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range in " + text);
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + text, e);
            }
        }

        /** Only IP literals: a CIDR of a host name would be a DNS lookup at start-up. */
        private static String literal(String text) {
            if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            return text;
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
