package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered cluster of the inventory. Secrets are never stored: only a reference to where they live. */
@Entity
@Table(name = "cluster")
public class Cluster {

    /** A cluster id: 1–63 lower-case letters, digits or '-', starting with a letter or digit (a DNS label). */
    public static final String ID_REGEX = "[a-z0-9][a-z0-9-]{0,62}";
    /** A secret of the executor's own secret store, by name: never an environment variable or a configuration key. */
    public static final String CREDENTIALS_REF_REGEX = "secret:[a-z0-9][a-z0-9._-]{0,62}";
    /** A Kubernetes name (DNS-1123 label): lower-case letters, digits and '-', starting and ending alphanumeric. */
    public static final String DNS_LABEL_REGEX = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    /** A helm release name: a DNS-1123 label of at most 53 characters (helm's own limit). */
    public static final String HELM_RELEASE_REGEX = "[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?";
    /** Most labels, and most further settings, one registration may carry. */
    public static final int MAX_LABELS = 64;
    public static final int MAX_EXTRA = 32;

    @Id
    public String id;

    @Column(nullable = false)
    public String product;

    public String version;

    public Integer nodes;

    @Column(nullable = false)
    public String deployment;

    public String endpoint;

    public String namespace;

    @Column(name = "stateful_set")
    public String statefulSet;

    @Column(name = "helm_release")
    public String helmRelease;

    @Column(name = "credentials_ref")
    public String credentialsRef;

    @Column(name = "postgres_version")
    public String postgresVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> labels = new HashMap<>();

    /** Further connection settings for the executor (e.g. {@code backupBackend}); never secrets. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> extra = new HashMap<>();

    /** Why nobody may upgrade this cluster now (a hold); null when it is not held. */
    @Column(name = "hold_reason")
    public String holdReason;

    @Column(name = "held_by")
    public String heldBy;

    @Column(name = "held_at")
    public Instant heldAt;

    /** When rollouts may change it; null or empty: any time. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public List<MaintenanceWindow> windows;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
