package io.stepwise.planner.domain;

/** The result of checking an audit trail's hash chain: {@code brokenAt} is the first entry that does not check out. */
public record AuditVerification(boolean valid, int entries, Integer brokenAt, String reason) {
}
