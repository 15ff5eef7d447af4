package dev.hutong.server.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * Cross-site request forgery protection for every state-changing request (anything but GET, HEAD
 * and OPTIONS), in two independent layers:
 *
 * <ol>
 *   <li>Origin: the browser's {@code Origin} header must be one of the server's own origins. A
 *       state-changing request without one is refused (every browser in use sends it on POST and
 *       DELETE), and so is {@code Origin: null} (sandboxed frames, mini-programs among them).
 *   <li>Token: {@code X-CSRF-Token} must equal the token derived from the session cookie
 *       (SHA-256 of a label and the session token). Another site can neither read the cookie
 *       (HttpOnly, SameSite=Strict) nor compute the token, and the token dies with the session.
 * </ol>
 */
public final class CsrfGuard {
  public static final HeaderName HEADER = HeaderNames.create("X-CSRF-Token");
  private static final String LABEL = "hutong-csrf-v1:";

  private final Set<String> allowedOrigins;

  /** @param allowedOrigins exact origins, e.g. {@code http://127.0.0.1:8080} (no trailing slash) */
  public CsrfGuard(Set<String> allowedOrigins) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /** The CSRF token of a session. */
  public static String tokenFor(String sessionToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((LABEL + sessionToken).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static boolean changesState(ServerRequest request) {
    Method m = request.prologue().method();
    return !(m == Method.GET || m == Method.HEAD || m == Method.OPTIONS);
  }

  /** The Origin layer alone: for logging in and signing up, before there is a session. */
  public void checkOrigin(ServerRequest request) {
    String origin = request.headers().first(HeaderNames.ORIGIN).orElse(null);
    if (origin == null || !allowedOrigins.contains(origin)) {
      throw WebException.forbidden("csrf_origin", "this request must come from a page of this"
          + " server (its Origin header is " + (origin == null ? "missing" : "not ours") + ")");
    }
  }

  /** Both layers, for a state-changing request made with {@code sessionToken}'s cookie. */
  public void check(ServerRequest request, String sessionToken) {
    if (!changesState(request)) {
      return;
    }
    checkOrigin(request);
    String presented = request.headers().first(HEADER).orElse("");
    byte[] expected = tokenFor(sessionToken).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      throw WebException.forbidden("csrf_token", "the X-CSRF-Token header is missing or wrong;"
          + " reload the page and try again");
    }
  }
}
