package dev.hutong.server.web;

import dev.hutong.identity.SessionRole;
import java.util.UUID;

/**
 * Who made a request, as its session cookie proved.
 *
 * @param id the principal's id (the user's id for {@link SessionRole#USER})
 * @param csrfToken what the page must send back in {@code X-CSRF-Token} on state-changing calls
 */
public record Principal(SessionRole role, UUID id, String csrfToken) {}
