package io.stepwise.infrastructure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * identity provider's. People sign in to the console through its authorization-code flow (with PKCE), where a
 * sign-in page lets them pick a role instead of typing a password. The local stack, the system tests, the bench and
 * the planner's tests use it; production points the planner at Keycloak, Dex, Okta or Entra ID instead.
 */
public final class LocalIssuer implements AutoCloseable {

    /** The roles of Stepwise, as the planner maps them from the token's {@link #ROLE_CLAIM}. */
    public static final List<String> ROLES = List.of("viewer", "operator", "approver", "admin");
    public static final String ROLE_CLAIM = "groups";
    public static final String AUDIENCE = "stepwise";
    /** The console's client id, as the planner's {@code quarkus.oidc.console.client-id} names it. */
    public static final String CONSOLE_CLIENT = "stepwise-console";
    private static final String KEY_FILE = "signing-key.pk8";
    /** How long a console sign-in lasts. */
    private static final Duration SESSION = Duration.ofHours(8);
    /** How long an authorization code may wait to be exchanged. */
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a person chose on the sign-in page, until the console exchanges the code for tokens. */
    private record Grant(String role, String redirectUri, String nonce, String codeChallenge, Instant expiresAt) {
    }

    private final RsaJsonWebKey key;
    private final HttpServer server;
    private final String issuer;
    /** The console's client secret for this run; the planner gets it through {@link #plannerProperties()}. */
    private final String consoleSecret = randomText();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

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
        JwtClaims claims = claims(issuerClaim, audience, subject, expiresAt);
        claims.setStringListClaim(ROLE_CLAIM, roles);
        return sign(claims);
    }

    private static JwtClaims claims(String issuerClaim, String audience, String subject, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuerClaim);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("preferred_username", subject);
        claims.setIssuedAt(NumericDate.fromSeconds(Math.min(Instant.now().getEpochSecond(),
                expiresAt.getEpochSecond() - 60)));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private String sign(JwtClaims claims) {
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

    /**
     * The planner's settings that make it trust this issuer, as it would a real one: for the API's bearer tokens,
     * and for the console's sign-in (whose tenant takes the same issuer URL).
     */
    public Map<String, String> plannerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.oidc.auth-server-url", issuer);
        properties.put("quarkus.oidc.token.audience", AUDIENCE);
        properties.put("quarkus.oidc.roles.role-claim-path", ROLE_CLAIM);
        properties.put("quarkus.oidc.console.client-id", CONSOLE_CLIENT);
        properties.put("quarkus.oidc.console.credentials.secret", consoleSecret);
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
                    + "\"authorization_endpoint\":\"" + issuer + "/auth\",\"token_endpoint\":\"" + issuer + "/token\","
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"subject_types_supported\":[\"public\"],"
                    + "\"response_types_supported\":[\"code\"],\"grant_types_supported\":[\"authorization_code\"],"
                    + "\"code_challenge_methods_supported\":[\"S256\"],"
                    + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"]}";
            respond(exchange, discovery);
        });
        server.createContext("/issuer/jwks", exchange -> respond(exchange, jwks));
        server.createContext("/issuer/auth", this::signIn);
        server.createContext("/issuer/token", this::exchangeCode);
    }

    /**
     * The authorization endpoint: without {@code role}, a page with one sign-in button per role; with it, a code
     * for that role sent back to the console. Only pages on this machine may receive a code.
     */
    private void signIn(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String redirectUri = query.getOrDefault("redirect_uri", "");
        if (!CONSOLE_CLIENT.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || !isLocal(redirectUri) || !"S256".equals(query.get("code_challenge_method"))) {
            respond(exchange, 400, "text/plain", "this issuer signs in the Stepwise console (client_id "
                    + CONSOLE_CLIENT + ", response_type code, PKCE S256) for pages on this machine only");
            return;
        }
        String role = query.get("role");
        if (role == null) {
            respond(exchange, 200, "text/html", signInPage(exchange.getRequestURI().getRawQuery()));
            return;
        }
        if (!ROLES.contains(role)) {
            respond(exchange, 400, "text/plain", "no role '" + role + "'; one of " + ROLES);
            return;
        }
        grants.values().removeIf(g -> g.expiresAt().isBefore(Instant.now()));
        String code = randomText();
        grants.put(code, new Grant(role, redirectUri, query.get("nonce"), query.get("code_challenge"),
                Instant.now().plus(CODE_LIFETIME)));
        String state = query.get("state");
        exchange.getResponseHeaders().add("Location", redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code="
                + code + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static String signInPage(String rawQuery) {
        StringBuilder buttons = new StringBuilder();
        for (String role : ROLES) {
            buttons.append("<p><a id=\"sign-in-").append(role).append("\" href=\"auth?").append(escape(rawQuery))
                    .append("&amp;role=").append(role).append("\">Sign in as local-").append(role).append("</a> (")
                    .append(role).append(")</p>");
        }
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Stepwise local"
                + " issuer</title></head><body style=\"font-family: system-ui, sans-serif; margin: 40px\">"
                + "<h1>Sign in to Stepwise</h1><p>This is the local stack's own identity provider: pick who you are"
                + " (each role includes the ones a console shows for it). Production uses your company's provider.</p>"
                + buttons + "</body></html>";
    }

    /** The token endpoint: a code, once, for the client that asked for it and proves the PKCE verifier. */
    private void exchangeCode(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/json", "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] client = clientCredentials(exchange, form);
        Grant grant = form.get("code") == null ? null : grants.remove(form.get("code"));
        if (!CONSOLE_CLIENT.equals(client[0]) || !consoleSecret.equals(client[1])) {
            respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null
                || grant.expiresAt().isBefore(Instant.now()) || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.codeChallenge().equals(challenge(form.getOrDefault("code_verifier", "")))) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        String subject = "local-" + grant.role();
        Instant expiresAt = Instant.now().plus(SESSION);
        JwtClaims id = claims(issuer, CONSOLE_CLIENT, subject, expiresAt);
        if (grant.nonce() != null) {
            id.setClaim("nonce", grant.nonce());
        }
        String accessToken = token(issuer, AUDIENCE, subject, expiresAt, List.of(grant.role()));
        respond(exchange, 200, "application/json", "{\"access_token\":\"" + accessToken + "\",\"id_token\":\""
                + sign(id) + "\",\"token_type\":\"Bearer\",\"expires_in\":" + SESSION.toSeconds() + "}");
    }

    /** client_secret_basic, else client_secret_post: {id, secret}. */
    private static String[] clientCredentials(HttpExchange exchange, Map<String, String> form) {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
            }
        }
        return new String[] {form.get("client_id"), form.get("client_secret")};
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static boolean isLocal(String uri) {
        return uri.startsWith("http://localhost:") || uri.startsWith("http://127.0.0.1:");
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String randomText() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private RsaJsonWebKey publicOnly() {
        RsaJsonWebKey published = new RsaJsonWebKey(key.getRsaPublicKey());
        published.setKeyId(key.getKeyId());
        published.setAlgorithm(key.getAlgorithm());
        published.setUse("sig");
        return published;
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        respond(exchange, 200, "application/json", json);
    }

    private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
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
