package io.stepwise.executor.weaviate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The slices of Weaviate's REST models the executor uses (openapi 1.25.0 … 1.40.0-dev). Weaviate omits false
 * booleans, so they are primitives; enums read values of later versions as {@code UNKNOWN} rather than failing.
 */
public final class WeaviateDtos {

    private WeaviateDtos() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, E unknown) {
        if (value == null) {
            return unknown;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return unknown;
        }
    }

    /** {@code NodeStatus.status} and {@code Statistics.status}. */
    public enum NodeHealth {
        HEALTHY, UNHEALTHY, UNAVAILABLE, TIMEOUT, UNKNOWN;

        @JsonCreator
        static NodeHealth fromJson(String value) {
            return parse(NodeHealth.class, value, UNKNOWN);
        }
    }

    /** Backup create and restore status; later versions added FINALIZING, CANCELLING and CANCELED. */
    public enum BackupStatus {
        STARTED, TRANSFERRING, TRANSFERRED, FINALIZING, SUCCESS, FAILED, CANCELLING, CANCELED, UNKNOWN;

        @JsonCreator
        static BackupStatus fromJson(String value) {
            return parse(BackupStatus.class, value, UNKNOWN);
        }

        public boolean isTerminal() {
            return this == SUCCESS || this == FAILED || this == CANCELED;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Meta(String hostname, String version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodesStatusResponse(List<NodeStatus> nodes) {
        public NodesStatusResponse {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeStatus(String name, NodeHealth status, String version, String gitHash) {
        public NodeStatus {
            status = status == null ? NodeHealth.UNKNOWN : status;
        }

        public boolean healthyAt(String targetVersion) {
            return status == NodeHealth.HEALTHY && targetVersion.equals(version);
        }

        public String describe() {
            return name + " " + status + " at " + (version == null ? "?" : version);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClusterStatisticsResponse(
            List<Statistics> statistics,
            @JsonProperty("synchronized") boolean isSynchronized) {
        public ClusterStatisticsResponse {
            statistics = statistics == null ? List.of() : List.copyOf(statistics);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Statistics(
            String name,
            NodeHealth status,
            boolean bootstrapped,
            boolean dbLoaded,
            @JsonProperty("isVoter") boolean isVoter,
            boolean open,
            boolean ready,
            Object leaderId,
            Object leaderAddress,
            Object candidates,
            Number initialLastAppliedIndex,
            Number lastAppliedIndex,
            RaftStatistics raft) {
        public Statistics {
            status = status == null ? NodeHealth.UNKNOWN : status;
        }
    }

    /** Every field is a string on the wire, numeric ones included; latestConfiguration is an object. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RaftStatistics(
            String appliedIndex,
            String commitIndex,
            String fsmPending,
            String lastContact,
            String lastLogIndex,
            String lastLogTerm,
            String lastSnapshotIndex,
            String lastSnapshotTerm,
            Object latestConfiguration,
            String latestConfigurationIndex,
            String numPeers,
            String protocolVersion,
            String protocolVersionMax,
            String protocolVersionMin,
            String snapshotVersionMax,
            String snapshotVersionMin,
            String state,
            String term) {
    }

    /** No include/exclude: a full backup of every collection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupCreateRequest(String id, List<String> include, List<String> exclude, Map<String, Object> config) {
        public static BackupCreateRequest full(String id) {
            return new BackupCreateRequest(id, null, null, null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BackupCreateResponse(String id, List<String> classes, String backend, String bucket, String path,
            String error, BackupStatus status) {
    }

    /** Create status, restore response and restore status share these fields (restore adds classes). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BackupStatusResponse(String id, String backend, String path, String error, BackupStatus status,
            List<String> classes) {
        public BackupStatusResponse {
            status = status == null ? BackupStatus.UNKNOWN : status;
        }
    }

    /** An entry of {@code GET /v1/backups/{backend}} (1.25.17+, 1.26.5+). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BackupListEntry(String id, List<String> classes, BackupStatus status) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupRestoreRequest(List<String> include, List<String> exclude,
            @JsonProperty("node_mapping") Map<String, String> nodeMapping, Map<String, Object> config) {
        public static BackupRestoreRequest all() {
            return new BackupRestoreRequest(null, null, null, null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Schema(List<SchemaClass> classes) {
        public Schema {
            classes = classes == null ? List.of() : List.copyOf(classes);
        }

        public List<String> names() {
            return classes.stream().map(SchemaClass::name).toList();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SchemaClass(@JsonProperty("class") String name, MultiTenancyConfig multiTenancyConfig) {

        public boolean multiTenant() {
            return multiTenancyConfig != null && multiTenancyConfig.enabled();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MultiTenancyConfig(boolean enabled) {
    }

    /** {@code POST /v1/graphql}: the query alone, no variables. */
    public record GraphQLQuery(String query) {
    }

    /** Weaviate answers 200 with {@code errors} when a query cannot run, so a caller must look at both. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GraphQLResponse(Map<String, Object> data, List<GraphQLError> errors) {
        public GraphQLResponse {
            data = data == null ? Map.of() : data;
            errors = errors == null ? List.of() : List.copyOf(errors);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GraphQLError(String message, List<Map<String, Object>> locations) {
    }

    /** {@code {"error":[{"message":"..."}]}} */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorResponse(List<ErrorMessage> error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorMessage(String message) {
    }
}
