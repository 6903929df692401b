package io.stepwise.planner.rest;

import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.rest.validation.HttpUrl;
import io.stepwise.planner.webhooks.Webhook;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/webhooks}. {@code secret} keys the signature of every request and is never shown again;
 * {@code types} are event type prefixes ({@code io.stepwise.cluster.}, {@code io.stepwise.rollout.finished}), all
 * types when left out; {@code rolloutId} limits the webhook to one rollout's events, every rollout's when left out.
 */
@Schema(additionalProperties = Schema.False.class)
public record WebhookRequest(
        @NotBlank(message = "required: the http(s) URL that receives the events")
        @Size(max = 2000, message = "longer than {max} characters")
        @HttpUrl String url,
        @Schema(writeOnly = true, minLength = 16)
        @NotBlank(message = "required: the secret that signs every request (16 characters or more)")
        @Size(min = 16, max = 500, message = "must be {min} to {max} characters")
        String secret,
        @Size(max = 20, message = "at most {max} types")
        List<@NotNull(message = "null is not a type") @Pattern(regexp = TYPE_REGEX, message = "'${validatedValue}'"
                + " is not an event type prefix: 1-200 letters, digits, '.', '_' or '-'") String> types,
        @Schema(nullable = true)
        @Pattern(regexp = "[A-Za-z0-9-]{1,36}", message = "'${validatedValue}' is not a rollout id") String rolloutId) {

    static final String TYPE_REGEX = "[A-Za-z0-9._-]{1,200}";
    /** The fields a request may hold: any other is refused rather than ignored, as a typo would be. */
    static final List<String> FIELDS = List.of("url", "secret", "types", "rolloutId");

    Webhook.New toNew() {
        // a credential in the URL would show wherever the URL does; the secret is the way to authenticate
        if (URI.create(url).getRawUserInfo() != null) {
            throw InvalidInputException.of("url", "must not hold a user or password: the receiver checks the"
                    + " signature made with the secret");
        }
        return new Webhook.New(url, secret, types, rolloutId);
    }
}
