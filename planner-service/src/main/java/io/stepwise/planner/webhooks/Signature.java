package io.stepwise.planner.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request is signed: HMAC-SHA256, keyed by the webhook's secret, of the timestamp header, a dot and the
 * exact body, so that a receiver can check both who sent it and that it is not an old request played again.
 */
public final class Signature {

    public static final String HEADER = "X-Stepwise-Signature";
    /** Seconds since the epoch when the attempt was sent; part of the signed text. */
    public static final String TIMESTAMP_HEADER = "X-Stepwise-Timestamp";

    private Signature() {
    }

    /** The value of {@link #HEADER}: {@code sha256=<hex>}. */
    public static String of(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
