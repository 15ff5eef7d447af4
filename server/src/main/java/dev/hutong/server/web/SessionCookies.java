package dev.hutong.server.web;

import dev.hutong.identity.SessionRole;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookies. Each role has its own pair, so a user's, a merchant's and an operator's
 * sessions never stand in for each other:
 *
 * <ul>
 *   <li>{@code <name>}: the session token; HttpOnly (scripts, a mini-program included, can never
 *       read it), SameSite=Strict (no other site's page can make the browser send it), Path=/,
 *       Secure when the server is reached over https;
 *   <li>{@code <name>_csrf}: the CSRF token derived from the session ({@link CsrfGuard}),
 *       readable by the page's script so it can echo it in {@code X-CSRF-Token}.
 * </ul>
 */
public final class SessionCookies {
  private final boolean secure;

  /** @param secure mark cookies Secure: true when users reach the server over https */
  public SessionCookies(boolean secure) {
    this.secure = secure;
  }

  public static String name(SessionRole role) {
    return switch (role) {
      case USER -> "hutong_user";
      case MERCHANT_STAFF -> "hutong_merchant";
      case OPERATOR -> "hutong_ops";
    };
  }

  public static String csrfName(SessionRole role) {
    return name(role) + "_csrf";
  }

  /** The session token the request carries for {@code role}, if any. */
  public Optional<String> read(ServerRequest request, SessionRole role) {
    return request.headers().cookies().first(name(role)).asOptional();
  }

  /** Sets both cookies; they last as long as the session may ({@code maxAge}). */
  public void set(ServerResponseHeaders headers, SessionRole role, String token, String csrfToken,
      Duration maxAge) {
    headers.addCookie(cookie(name(role), token, maxAge, true));
    headers.addCookie(cookie(csrfName(role), csrfToken, maxAge, false));
  }

  /** Tells the browser to drop both cookies. */
  public void clear(ServerResponseHeaders headers, SessionRole role) {
    headers.addCookie(cookie(name(role), "", Duration.ZERO, true));
    headers.addCookie(cookie(csrfName(role), "", Duration.ZERO, false));
  }

  private SetCookie cookie(String name, String value, Duration maxAge, boolean httpOnly) {
    return SetCookie.builder(name, value)
        .path("/")
        .httpOnly(httpOnly)
        .secure(secure)
        .sameSite(SetCookie.SameSite.STRICT)
        .maxAge(maxAge)
        .build();
  }
}
