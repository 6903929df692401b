package io.stepwise.executor.weaviate;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.config.SecretResolver;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupListEntry;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupRestoreRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Meta;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Schema;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Weaviate's REST API for the handlers: one REST client and one fault-tolerance guard (retry,
 * circuit breaker, timeout) per cluster endpoint. The guards are built programmatically rather than
 * with annotations because an annotated method shares one circuit breaker across every cluster, and
 * one broken cluster must not stop calls to the healthy ones.
 *
 * <p>Every call sends {@code X-Stepwise-Step-Id} (the simulator records it in its effects ledger; a
 * real cluster ignores it) and, when the cluster has a {@code credentialsRef}, a bearer token.
 * Only transient failures (connection problems, timeouts, 5xx, 408, 429) are retried and count
 * against the breaker; a 4xx is Weaviate's answer and is returned at once as {@link WeaviateApiException}.
 */
@ApplicationScoped
public class WeaviateClient {

    private final ExecutorConfig.Weaviate config;
    private final SecretResolver secrets;
    private final ConcurrentMap<String, Target> targets = new ConcurrentHashMap<>();

    public WeaviateClient(ExecutorConfig config, SecretResolver secrets) {
        this.config = config.weaviate();
        this.secrets = secrets;
    }

    private record Target(WeaviateApi api, Guard guard) {
    }

    public Meta meta(StepRequested step) {
        return call(step, "GET /v1/meta", (api, auth) -> api.meta(step.stepId(), auth), Meta.class);
    }

    public NodesStatusResponse nodes(StepRequested step) {
        return call(step, "GET /v1/nodes", (api, auth) -> api.nodes(step.stepId(), auth), NodesStatusResponse.class);
    }

    public ClusterStatisticsResponse statistics(StepRequested step) {
        return call(step, "GET /v1/cluster/statistics", (api, auth) -> api.statistics(step.stepId(), auth),
                ClusterStatisticsResponse.class);
    }

    public void schemaV1(StepRequested step) {
        call(step, "POST /v1/cluster/schema-v1", (api, auth) -> {
            api.schemaV1(step.stepId(), auth);
            return Boolean.TRUE;
        }, Boolean.class);
    }

    public BackupCreateResponse createBackup(StepRequested step, String backend, String backupId) {
        return call(step, "POST /v1/backups/" + backend,
                (api, auth) -> api.createBackup(step.stepId(), auth, backend, BackupCreateRequest.full(backupId)),
                BackupCreateResponse.class);
    }

    /** The status of the backup with this id, or empty when the backend has none (404). */
    public Optional<BackupStatusResponse> backupStatus(StepRequested step, String backend, String backupId) {
        return notFoundAsEmpty(() -> call(step, "GET /v1/backups/" + backend + "/" + backupId,
                (api, auth) -> api.backupStatus(step.stepId(), auth, backend, backupId), BackupStatusResponse.class));
    }

    /** The backend's backups, or empty when this Weaviate has no list endpoint (before 1.25.17 / 1.26.5). */
    public Optional<List<BackupListEntry>> listBackups(StepRequested step, String backend) {
        try {
            @SuppressWarnings("unchecked")
            List<BackupListEntry> list = call(step, "GET /v1/backups/" + backend,
                    (api, auth) -> api.listBackups(step.stepId(), auth, backend, "desc"), List.class);
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
                (api, auth) -> api.restore(step.stepId(), auth, backend, backupId, BackupRestoreRequest.all()),
                BackupStatusResponse.class);
    }

    /** The status of the latest restore of this backup, or empty when there is none (404). */
    public Optional<BackupStatusResponse> restoreStatus(StepRequested step, String backend, String backupId) {
        return notFoundAsEmpty(() -> call(step, "GET /v1/backups/" + backend + "/" + backupId + "/restore",
                (api, auth) -> api.restoreStatus(step.stepId(), auth, backend, backupId), BackupStatusResponse.class));
    }

    public Schema schema(StepRequested step) {
        return call(step, "GET /v1/schema", (api, auth) -> api.schema(step.stepId(), auth), Schema.class);
    }

    public void deleteCollection(StepRequested step, String collection) {
        call(step, "DELETE /v1/schema/" + collection, (api, auth) -> {
            api.deleteCollection(step.stepId(), auth, collection);
            return Boolean.TRUE;
        }, Boolean.class);
    }

    @FunctionalInterface
    private interface ApiCall<T> {
        T call(WeaviateApi api, String authorization);
    }

    private <T> T call(StepRequested step, String what, ApiCall<T> apiCall, Class<T> type) {
        ClusterConnection cluster = step.cluster();
        if (cluster == null || cluster.endpoint() == null || cluster.endpoint().isBlank()) {
            throw new StepFailedException("cluster " + step.clusterId() + " has no endpoint; cannot call Weaviate");
        }
        String authorization = secrets.resolve(cluster.credentialsRef()).map(key -> "Bearer " + key).orElse(null);
        Target target = targets.computeIfAbsent(normalise(cluster.endpoint()), this::newTarget);
        try {
            return target.guard().call(() -> apiCall.call(target.api(), authorization), type);
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

    private Target newTarget(String endpoint) {
        Log.debugf("new Weaviate client for %s", endpoint);
        WeaviateApi api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(endpoint))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .register(new WeaviateErrorMapper())
                .build(WeaviateApi.class);
        ExecutorConfig.CircuitBreaker breaker = config.circuitBreaker();
        Guard guard = Guard.create()
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
        return new Target(api, guard);
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof WeaviateApiException api) {
            return api.isTransient();
        }
        return e instanceof ProcessingException || e instanceof TimeoutException
                || e instanceof java.io.IOException || e.getCause() instanceof java.io.IOException;
    }
}
