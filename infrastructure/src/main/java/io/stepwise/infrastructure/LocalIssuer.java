package io.stepwise.infrastructure;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An OpenID Connect issuer for one machine: it signs bearer tokens with a key of its own and publishes the key the
 * standard way (discovery document and JWKS over HTTP), so the planner checks these tokens exactly as it checks a real
 * identity provider's. The local stack, the system tests, the bench and the planner's tests use it; production
 * points the planner at Keycloak, Dex, Okta or Entra ID instead.
 */
public final class LocalIssuer implements AutoCloseable {

    /** The roles of Stepwise, as the planner maps them from the token's {@link #ROLE_CLAIM}. */
    public static final List<String> ROLES = List.of("viewer", "operator", "approver", "admin");
    public static final String ROLE_CLAIM = "groups";
    public static final String AUDIENCE = "stepwise";
    private static final String KEY_FILE = "signing-key.pk8";

    private final RsaJsonWebKey key;
    private final HttpServer server;
    private final String issuer;

    private LocalIssuer(RsaJsonWebKey key, HttpServer server) {
        this.key = key;
        this.server = server;
        this.issuer = "http://localhost:" + server.getAddress().getPort() + "/issuer";
    }

    /**
     * Starts the issuer on {@code port} (0: a free one) with the key kept in {@code keyDirectory} (made on first
     * start; null: a key for this run only).
     */
    public static LocalIssuer start(Path keyDirectory, int port) {
        try {
            KeyPair pair = keyDirectory == null ? generate() : loadOrCreate(keyDirectory);
            RsaJsonWebKey key = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            key.setPrivateKey(pair.getPrivate());
            key.setKeyId(thumbprint(key));
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
            LocalIssuer issuer = new LocalIssuer(key, server);
            issuer.serve();
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local issuer on port " + port, e);
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("cannot make the local issuer's key", e);
        }
    }

    /** The issuer's URL: the {@code iss} of its tokens and where its discovery document lives. */
    public String url() {
        return issuer;
    }

    /** A token for this subject with these roles, valid for {@code ttl}. */
    public String token(String subject, Duration ttl, String... roles) {
        return token(issuer, AUDIENCE, subject, Instant.now().plus(ttl), List.of(roles));
    }

    /** A token with every claim chosen, e.g. an expired one or one for another audience. */
    public String token(String issuerClaim, String audience, String subject, Instant expiresAt, List<String> roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuerClaim);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("preferred_username", subject);
        claims.setStringListClaim(ROLE_CLAIM, roles);
        claims.setIssuedAt(NumericDate.fromSeconds(Math.min(Instant.now().getEpochSecond(),
                expiresAt.getEpochSecond() - 60)));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * Writes one ready token per role to {@code directory}/{@code <role>} (owner-readable only), for people to use with
     * curl; the subject of each is {@code local-<role>}.
     */
    public void writeTokens(Path directory, Duration ttl) {
        try {
            Files.createDirectories(directory);
            for (String role : ROLES) {
                Path file = directory.resolve(role);
                Files.writeString(file, token("local-" + role, ttl, role) + "\n");
                Directories.ownerOnly(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local tokens to " + directory, e);
        }
    }

    /** The planner's settings that make it trust this issuer, as it would a real one. */
    public Map<String, String> plannerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.oidc.auth-server-url", issuer);
        properties.put("quarkus.oidc.token.audience", AUDIENCE);
        properties.put("quarkus.oidc.roles.role-claim-path", ROLE_CLAIM);
        return properties;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve() {
        String jwks = new JsonWebKeySet(publicOnly()).toJson();
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> {
            String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"subject_types_supported\":[\"public\"],"
                    + "\"response_types_supported\":[\"code\"]}";
            respond(exchange, discovery);
        });
        server.createContext("/issuer/jwks", exchange -> respond(exchange, jwks));
    }

    private RsaJsonWebKey publicOnly() {
        RsaJsonWebKey published = new RsaJsonWebKey(key.getRsaPublicKey());
        published.setKeyId(key.getKeyId());
        published.setAlgorithm(key.getAlgorithm());
        published.setUse("sig");
        return published;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String thumbprint(RsaJsonWebKey key) throws JoseException {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair loadOrCreate(Path directory) throws IOException, GeneralSecurityException {
        Path file = directory.resolve(KEY_FILE);
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (Files.isRegularFile(file)) {
            PrivateKey secret = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                    .decode(Files.readString(file))));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) secret;
            return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent())),
                    secret);
        }
        KeyPair pair = generate();
        Files.createDirectories(directory);
        Files.writeString(file, Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
        Directories.ownerOnly(file);
        return pair;
    }
}
