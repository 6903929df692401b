package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A product's catalog as an operator replaced it through the API; it wins over files and the built-in one. */
@Entity
@Table(name = "catalog_override")
public class CatalogOverride {

    @Id
    public String product;

    /** The catalog document as JSON, exactly as accepted. */
    @Column(nullable = false, columnDefinition = "text")
    public String document;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
