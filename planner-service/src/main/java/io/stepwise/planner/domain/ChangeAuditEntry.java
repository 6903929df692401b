package io.stepwise.planner.domain;

import java.time.Instant;

/**
 * One change to a registered cluster or a product's catalog: who made it, when, and what changed ({@code details}, a
 * JSON object of the changed fields, each with its value before and after). {@code hash} covers the entry and the
 * previous entry's hash.
 */
public record ChangeAuditEntry(String kind, String subject, int seq, Instant at, String actor, String type,
                               String details, String prevHash, String hash) {
}
