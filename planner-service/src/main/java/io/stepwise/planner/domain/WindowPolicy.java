package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Maintenance windows shared by name: a cluster without windows of its own that carries the label {@link #LABEL}
 * takes those of the policy it names.
 */
@Entity
@Table(name = "window_policy")
public class WindowPolicy {

    public static final String LABEL = "stepwise.io/window-policy";

    @Id
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<MaintenanceWindow> windows;

    @Column(nullable = false)
    public String actor;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
