package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A named strategy rollouts refer to by name; {@code body} is the strategy as the rollout request gives it. */
@Entity
@Table(name = "strategy")
public class SavedStrategy {

    @Id
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> body;

    @Column(nullable = false)
    public String actor;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
