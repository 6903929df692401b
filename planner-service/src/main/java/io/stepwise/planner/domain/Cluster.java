package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered cluster of the inventory. Secrets are never stored: only a reference to where they live. */
@Entity
@Table(name = "cluster")
public class Cluster {

    /** A cluster id: 1–63 lower-case letters, digits or '-', starting with a letter or digit (a DNS label). */
    public static final String ID_REGEX = "[a-z0-9][a-z0-9-]{0,62}";
    /** Where the executor finds a secret: an environment variable or one of its configuration keys. */
    public static final String CREDENTIALS_REF_REGEX = "env:[A-Za-z_][A-Za-z0-9_]*|config:[A-Za-z0-9._-]+";

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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
