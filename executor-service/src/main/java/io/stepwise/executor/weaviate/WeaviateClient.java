package io.stepwise.executor.weaviate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import io.stepwise.executor.config.EndpointPolicy;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.config.Redactor;
import io.stepwise.executor.config.SecretResolver;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupListEntry;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupRestoreRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLQuery;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Meta;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Schema;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Weaviate's REST API for the handlers: one REST client for every cluster, and one fault-tolerance guard per cluster
 * endpoint, built programmatically because an annotated method would share one circuit breaker across clusters and
 * one broken cluster would stop calls to the healthy ones. Only transient failures are retried and count against the
 * breaker; a 4xx is Weaviate's answer, thrown at once as {@link WeaviateApiException}.
 */
@ApplicationScoped
public class WeaviateClient {

    private final ExecutorConfig.Weaviate config;
    private final SecretResolver secrets;
    private final EndpointPolicy endpoints;
    private final WeaviateApi api;
    /** Dropped after an idle hour, which outlasts any breaker delay: a large fleet must not cost memory forever. */
    private final Cache<String, Guard> guards = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();

    public WeaviateClient(ExecutorConfig config, SecretResolver secrets, EndpointPolicy endpoints, Redactor redactor) {
        this.config = config.weaviate();
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.api = QuarkusRestClientBuilder.newBuilder()
                // a placeholder: every call names its cluster's endpoint (WeaviateApi's @Url)
                .baseUri(URI.create("http://weaviate.invalid"))
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // a redirect would take the step's headers (the API key) to a host nobody checked
                .followRedirects(false)
                .register(new WeaviateErrorMapper(redactor))
                .build(WeaviateApi.class);
    }

    public Meta meta(StepRequested step) {
        return call(step, "GET /v1/meta", (url, auth) -> api.meta(url, step.stepId(), auth), Meta.class);
    }

    public NodesStatusResponse nodes(StepRequested step) {
        return call(step, "GET /v1/nodes", (url, auth) -> api.nodes(url, step.stepId(), auth), NodesStatusResponse.class);
    }

    public ClusterStatisticsResponse statistics(StepRequested step) {
        return call(step, "GET /v1/cluster/statistics", (url, auth) -> api.statistics(url, step.stepId(), auth),
                ClusterStatisticsResponse.class);
    }

    public void schemaV1(StepRequested step) {
        call(step, "POST /v1/cluster/schema-v1", (url, auth) -> {
            api.schemaV1(url, step.stepId(), auth);
            return Boolean.TRUE;
        }, Boolean.class);
    }

    public BackupCreateResponse createBackup(StepRequested step, String backend, String backupId) {
        return call(step, "POST /v1/backups/" + backend,
                (url, auth) -> api.createBackup(url, step.stepId(), auth, backend, BackupCreateRequest.full(backupId)),
                BackupCreateResponse.class);
    }

    /** The status of the backup with this id, or empty when the backend has none (404). */
    public Optional<BackupStatusResponse> backupStatus(StepRequested step, String backend, String backupId) {
        return notFoundAsEmpty(() -> call(step, "GET /v1/backups/" + backend + "/" + backupId,
                (url, auth) -> api.backupStatus(url, step.stepId(), auth, backend, backupId), BackupStatusResponse.class));
    }

    /** The backend's backups, or empty when this Weaviate has no list endpoint (before 1.25.17 / 1.26.5). */
    public Optional<List<BackupListEntry>> listBackups(StepRequested step, String backend) {
        try {
            @SuppressWarnings("unchecked")
            List<BackupListEntry> list = call(step, "GET /v1/backups/" + backend,
                    (url, auth) -> api.listBackups(url, step.stepId(), auth, backend, "desc"), List.class);
            return Optional.of(list == null ? List.of() : list);
        } catch (WeaviateApiException e) {
            if (e.status() == 404 || e.status() == 405) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public BackupStatusResponse restore(StepRequested step, String backend, String backupId) {
        return call(step, "POST /v1/backups/" + backend + "/" + backupId + "/restore",
                (url, auth) -> api.restore(url, step.stepId(), auth, backend, backupId, BackupRestoreRequest.all()),
                BackupStatusResponse.class);
    }

    /** The status of the latest restore of this backup, or empty when there is none (404). */
    public Optional<BackupStatusResponse> restoreStatus(StepRequested step, String backend, String backupId) {
        return notFoundAsEmpty(() -> call(step, "GET /v1/backups/" + backend + "/" + backupId + "/restore",
                (url, auth) -> api.restoreStatus(url, step.stepId(), auth, backend, backupId), BackupStatusResponse.class));
    }

    public Schema schema(StepRequested step) {
        return call(step, "GET /v1/schema", (url, auth) -> api.schema(url, step.stepId(), auth), Schema.class);
    }

    public void deleteCollection(StepRequested step, String collection) {
        call(step, "DELETE /v1/schema/" + collection, (url, auth) -> {
            api.deleteCollection(url, step.stepId(), auth, collection);
            return Boolean.TRUE;
        }, Boolean.class);
    }

    /** A read-only query; its {@code errors} come back in the answer (Weaviate answers them with 200). */
    public GraphQLResponse graphql(StepRequested step, String query) {
        return call(step, "POST /v1/graphql", (url, auth) -> api.graphql(url, step.stepId(), auth, new GraphQLQuery(query)),
                GraphQLResponse.class);
    }

    @FunctionalInterface
    private interface ApiCall<T> {
        T call(String endpoint, String authorization);
    }

    private <T> T call(StepRequested step, String what, ApiCall<T> apiCall, Class<T> type) {
        ClusterConnection cluster = step.cluster();
        if (cluster == null || cluster.endpoint() == null || cluster.endpoint().isBlank()) {
            throw new StepFailedException("cluster " + step.clusterId() + " has no endpoint; cannot call Weaviate");
        }
        String authorization = secrets.resolve(step.clusterId(), cluster).map(key -> "Bearer " + key).orElse(null);
        String endpoint = normalise(cluster.endpoint());
        Guard guard = guards.get(endpoint, this::newGuard);
        try {
            return guard.call(() -> {
                // checked on every attempt, as the name may resolve elsewhere by now
                endpoints.check(step.clusterId(), endpoint);
                return apiCall.call(endpoint, authorization);
            }, type);
        } catch (WeaviateApiException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new StepFailedException(what + " on cluster " + step.clusterId() + " was refused (HTTP " + e.status()
                        + "); check the API key named by credentialsRef '" + cluster.credentialsRef() + "'", e);
            }
            throw e.withOperation(what + " on cluster " + step.clusterId());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Guard.call declares Exception; our calls only throw unchecked ones, so this is the FT timeout and kin.
            throw new WeaviateUnavailableException(what + " on " + cluster.endpoint() + " failed: " + e, e);
        }
    }

    private static <T> Optional<T> notFoundAsEmpty(Callable<T> call) {
        try {
            return Optional.ofNullable(call.call());
        } catch (WeaviateApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalise(String endpoint) {
        String trimmed = endpoint.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private Guard newGuard(String endpoint) {
        ExecutorConfig.CircuitBreaker breaker = config.circuitBreaker();
        return Guard.create()
                .withDescription("weaviate " + endpoint)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .whenException(WeaviateClient::isTransient)
                    .done()
                .withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .when(WeaviateClient::isTransient)
                    .done()
                .withTimeout()
                    // A little over the read timeout so the client's own timeout, with its clearer message, wins.
                    .duration(config.requestTimeout().toMillis() + 1000, ChronoUnit.MILLIS)
                    .done()
                .build();
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof WeaviateApiException api) {
            return api.isTransient();
        }
        return e instanceof ProcessingException || e instanceof TimeoutException
                || e instanceof java.io.IOException || e.getCause() instanceof java.io.IOException;
    }
}
