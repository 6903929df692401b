package io.stepwise.planner.rest;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.rest.validation.DeploymentName;
import io.stepwise.planner.rest.validation.DistinctIds;
import io.stepwise.planner.rest.validation.ExtraSettings;
import io.stepwise.planner.rest.validation.HttpUrl;
import io.stepwise.planner.rest.validation.KnownProduct;
import io.stepwise.planner.rest.validation.VersionNumber;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashMap;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.MaintenanceWindow;
import jakarta.validation.Valid;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.Range;

/**
 * Body of {@code POST /api/v1/clusters} and {@code PUT /api/v1/clusters/{id}}. Only {@code id} and {@code product}
 * are required. Connection details say how the executor reaches the cluster; {@code credentialsRef} names where the
 * API key lives in the executor's secret store (e.g. {@code secret:weaviate-prod}), never the key itself; {@code extra} holds further settings the
 * executor reads (e.g. {@code backupBackend}, or {@code env.NAME} for the environment of command-template
 * deployments).
 */
public record ClusterRequest(
        @NotNull(message = "required")
        @Pattern(regexp = Cluster.ID_REGEX, message = "'${validatedValue}' must be 1–63 lower-case letters, digits"
                + " or '-', starting with a letter or digit")
        String id,
        @KnownProduct(required = true) String product,
        @VersionNumber String version,
        @Range(min = 1, max = 1000) Integer nodes,
        @DeploymentName String deployment,
        @HttpUrl String endpoint,
        @Pattern(regexp = Cluster.DNS_LABEL_REGEX, message = "'${validatedValue}' is not a Kubernetes name: 1-63"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String namespace,
        @Pattern(regexp = Cluster.DNS_LABEL_REGEX, message = "'${validatedValue}' is not a Kubernetes name: 1-63"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String statefulSet,
        @Pattern(regexp = Cluster.HELM_RELEASE_REGEX, message = "'${validatedValue}' is not a helm release name: 1-53"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String helmRelease,
        @Pattern(regexp = Cluster.CREDENTIALS_REF_REGEX, message = "must name a secret of the executor's secret store,"
                + " not hold it nor name an environment variable or setting: secret:<name>, e.g. secret:weaviate-prod")
        String credentialsRef,
        @Size(max = 32, message = "longer than {max} characters") String postgresVersion,
        @Size(max = Cluster.MAX_LABELS, message = "at most {max} labels")
        Map<@NotNull @Pattern(regexp = LabelSelector.KEY_REGEX, message = "'${validatedValue}' is not a valid label"
                + " key") String,
            @NotNull(message = "null is not a valid label value")
            @Pattern(regexp = LabelSelector.VALUE_REGEX, message = "'${validatedValue}' is not a valid label value"
                    + " (up to 63 letters, digits, '-', '_', '.')") String> labels,
        @Size(max = Cluster.MAX_EXTRA, message = "at most {max} settings") @ExtraSettings Map<String, String> extra,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "when rollouts may change the cluster: a segment starts only inside a"
                + " window that holds its estimated duration; none: any time")
        @Size(max = 14, message = "at most {max} windows")
        List<@NotNull(message = "a window is required") @Valid WindowRequest> windows)
        implements DistinctIds.Identified {

    /** A maintenance window: on {@code days} (none: daily) from {@code start} for {@code duration}, in a zone. */
    public record WindowRequest(
            @Schema(description = "MONDAY..SUNDAY (or MON..SUN); none: every day")
            @Size(max = 7) List<@NotNull @Pattern(regexp = "[A-Za-z]{3,9}", message =
                    "'${validatedValue}' is not a day of the week") String> days,
            @NotNull(message = "required") @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message =
                    "'${validatedValue}' is not a time of day HH:mm") String start,
            @NotNull(message = "required") @Schema(example = "PT4H") String duration,
            @NotNull(message = "required") @Schema(example = "Europe/Berlin") String timeZone) {
    }

    /** The same request for this id (PUT takes the id from its path). */
    public ClusterRequest withId(String id) {
        return new ClusterRequest(id, product, version, nodes, deployment, endpoint, namespace, statefulSet,
                helmRelease, credentialsRef, postgresVersion, labels, extra, windows);
    }

    /** The registration this valid request describes. */
    Cluster toCluster() {
        Cluster cluster = new Cluster();
        cluster.id = id;
        cluster.product = Product.fromId(product).orElseThrow().id();
        cluster.version = version == null ? null : Versions.parse(version).orElseThrow().getVersion();
        cluster.nodes = nodes;
        cluster.deployment = (deployment == null ? DeploymentKind.KUBERNETES
                : DeploymentKind.fromId(deployment).orElseThrow()).id();
        cluster.endpoint = endpoint;
        cluster.namespace = namespace;
        cluster.statefulSet = statefulSet;
        cluster.helmRelease = helmRelease;
        cluster.credentialsRef = credentialsRef;
        cluster.postgresVersion = postgresVersion;
        cluster.labels = labels == null ? new HashMap<>() : new HashMap<>(labels);
        cluster.extra = extra == null ? new HashMap<>() : new HashMap<>(extra);
        cluster.windows = windows == null || windows.isEmpty() ? null : windows(windows);
        return cluster;
    }

    /** Valid windows as the domain keeps them; a 400 naming each bad field ({@code windows[0].duration}). */
    static List<MaintenanceWindow> windows(List<WindowRequest> asked) {
        FieldProblems problems = new FieldProblems();
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            WindowRequest w = asked.get(i);
            String field = "windows[" + i + "]";
            try {
                Duration length = Duration.parse(w.duration());
                if (length.isNegative() || length.isZero() || length.compareTo(Duration.ofDays(7)) > 0) {
                    problems.add(field + ".duration", "'" + w.duration() + "' must be above zero and at most 7 days");
                }
            } catch (DateTimeParseException e) {
                problems.add(field + ".duration", "'" + w.duration() + "' is not an ISO-8601 duration such as PT4H");
            }
            try {
                ZoneId.of(w.timeZone());
            } catch (DateTimeException e) {
                problems.add(field + ".timeZone", "'" + w.timeZone() + "' is not a time zone such as Europe/Berlin");
            }
            List<DayOfWeek> days = new ArrayList<>();
            for (int j = 0; w.days() != null && j < w.days().size(); j++) {
                DayOfWeek day = day(w.days().get(j));
                if (day == null) {
                    problems.add(field + ".days[" + j + "]", "'" + w.days().get(j) + "' is not a day of the week");
                } else {
                    days.add(day);
                }
            }
            windows.add(new MaintenanceWindow(days, w.start(), w.duration(), w.timeZone()));
        }
        problems.throwIfAny();
        return windows;
    }

    /** MON, Monday or MONDAY; null for anything else. */
    private static DayOfWeek day(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        return Arrays.stream(DayOfWeek.values()).filter(d -> d.name().equals(upper)
                || d.name().substring(0, 3).equals(upper)).findFirst().orElse(null);
    }
}
