package io.stepwise.planner.domain;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of checking an audit trail's hash chain: {@code brokenAt} is the first entry that does not check out. */
public record AuditVerification(boolean valid, int entries, @Schema(nullable = true) Integer brokenAt,
                                @Schema(nullable = true) String reason) {
}
