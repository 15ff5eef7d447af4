package dev.hutong.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * A live session, as {@link Sessions#authenticate} found it.
 *
 * @param principalId the user's id for {@link SessionRole#USER}
 * @param expiresAt the absolute end; the idle end is {@code lastSeenAt + idle timeout}
 */
public record Session(SessionRole role, UUID principalId, Instant createdAt, Instant lastSeenAt,
    Instant expiresAt) {}
