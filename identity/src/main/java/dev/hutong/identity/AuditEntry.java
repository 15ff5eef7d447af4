package dev.hutong.identity;

import java.time.Instant;
import java.util.UUID;

/** One operator action as the audit log keeps it (never changed after it was written). */
public record AuditEntry(UUID id, Instant at, String actor, String action, String target,
    String detail) {}
