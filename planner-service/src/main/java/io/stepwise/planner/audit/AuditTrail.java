package io.stepwise.planner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.AuditEntry;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.persistence.AuditEntryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The append-only, tamper-evident record of a rollout. Each entry's hash covers its content and the previous
 * entry's hash; the rollout row keeps the last hash and the count, so editing, removing or appending behind the
 * service's back all break {@link #verify}.
 */
@ApplicationScoped
public class AuditTrail {

    /** The hash the first entry of every rollout chains to. */
    public static final String GENESIS = "0".repeat(64);

    private final AuditEntryRepository entries;
    private final ObjectMapper json;

    public AuditTrail(AuditEntryRepository entries, ObjectMapper json) {
        this.entries = entries;
        this.json = json;
    }

    /** Appends one entry. The caller holds the rollout's row lock, which orders the chain. */
    public AuditEntry append(Rollout rollout, String actor, String type, String clusterId, Integer stepSeq,
                             Map<String, ?> details) {
        AuditEntry entry = new AuditEntry();
        entry.key = new AuditEntry.Key(rollout.id, rollout.auditCount + 1);
        // Postgres keeps microseconds: hash what will be read back.
        entry.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entry.actor = actor;
        entry.type = type;
        entry.clusterId = clusterId;
        entry.stepSeq = stepSeq;
        entry.details = toJson(details);
        entry.prevHash = rollout.auditHead == null ? GENESIS : rollout.auditHead;
        entry.hash = hash(entry);
        entries.persist(entry);
        rollout.auditCount = entry.key.seq();
        rollout.auditHead = entry.hash;
        return entry;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> of(String rolloutId) {
        return entries.ofRollout(rolloutId);
    }

    /** Recomputes the chain and reports the first entry that was altered, removed or inserted. */
    public AuditVerification verify(Rollout rollout, List<AuditEntry> chain) {
        String previous = GENESIS;
        for (int i = 0; i < chain.size(); i++) {
            AuditEntry entry = chain.get(i);
            int expectedSeq = i + 1;
            if (entry.key.seq() != expectedSeq) {
                return new AuditVerification(false, chain.size(), expectedSeq, "entry " + expectedSeq + " is missing");
            }
            if (!entry.prevHash.equals(previous)) {
                return new AuditVerification(false, chain.size(), expectedSeq, "entry " + expectedSeq
                        + " does not chain to the entry before it (an entry before it was removed or altered)");
            }
            if (!entry.hash.equals(hash(entry))) {
                return new AuditVerification(false, chain.size(), expectedSeq, "entry " + expectedSeq
                        + " was altered: its content no longer matches its hash");
            }
            previous = entry.hash;
        }
        if (chain.size() != rollout.auditCount || !previous.equals(rollout.auditHead == null ? GENESIS
                : rollout.auditHead)) {
            int at = Math.min(chain.size(), rollout.auditCount) + 1;
            return new AuditVerification(false, chain.size(), at, "the chain ends at entry " + chain.size()
                    + " but the rollout recorded " + rollout.auditCount + " entries: entries were removed or added");
        }
        return new AuditVerification(true, chain.size(), null, null);
    }

    static String hash(AuditEntry e) {
        return sha256(e.prevHash, String.valueOf(e.key.rolloutId()), String.valueOf(e.key.seq()), e.at.toString(),
                e.actor, e.type, String.valueOf(e.clusterId), String.valueOf(e.stepSeq), e.details);
    }

    /** The SHA-256 of these fields, one per line, in hex: what chains an entry to the one before it. */
    static String sha256(String... fields) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", fields).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JRE", ex);
        }
    }

    private String toJson(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details cannot be written as JSON", e);
        }
    }
}
