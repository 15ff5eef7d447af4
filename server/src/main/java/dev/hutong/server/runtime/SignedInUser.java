package dev.hutong.server.runtime;

import io.helidon.webserver.http.ServerRequest;
import java.util.UUID;

/**
 * Who is signed in to the shell behind a request: the composition root wires this to the shell's
 * session cookie and CSRF check. Throws (the shell's 401 / 403) when nobody is, or when a
 * state-changing request lacks its CSRF token.
 */
@FunctionalInterface
public interface SignedInUser {
  UUID require(ServerRequest request);
}
