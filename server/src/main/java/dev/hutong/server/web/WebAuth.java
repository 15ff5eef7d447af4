package dev.hutong.server.web;

import dev.hutong.identity.LoginRateLimiter;
import dev.hutong.identity.NewSession;
import dev.hutong.identity.Session;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.Sessions;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sessions as a route sees them: {@link #require} at the top of every handler that needs a
 * logged-in principal gives the principal or refuses the request (401 without a live session of
 * that role, 403 for a state-changing request that fails the CSRF check). The shell (USER), the
 * merchant portal (MERCHANT_STAFF) and the operations console (OPERATOR) share this class.
 */
public final class WebAuth {
  private final Sessions sessions;
  private final SessionCookies cookies;
  private final CsrfGuard csrf;

  public WebAuth(Sessions sessions, SessionCookies cookies, CsrfGuard csrf) {
    this.sessions = sessions;
    this.cookies = cookies;
    this.csrf = csrf;
  }

  public CsrfGuard csrf() {
    return csrf;
  }

  /** The principal of {@code role} behind the request's cookie; checks CSRF when it must. */
  public Principal require(ServerRequest request, SessionRole role) {
    String token = cookies.read(request, role).orElseThrow(WebException::unauthorized);
    Session session = sessions.authenticate(role, token).orElseThrow(WebException::unauthorized);
    csrf.check(request, token);
    return new Principal(role, session.principalId(), CsrfGuard.tokenFor(token));
  }

  /**
   * Opens a session for a principal whose credentials the caller has just checked, and sets its
   * cookies. Call {@link CsrfGuard#checkOrigin} before checking the credentials.
   */
  public Principal logIn(ServerResponse response, SessionRole role, UUID principalId) {
    NewSession opened = sessions.open(role, principalId);
    String csrfToken = CsrfGuard.tokenFor(opened.token());
    Duration maxAge = Duration.between(opened.session().createdAt(),
        opened.session().expiresAt());
    cookies.set(response.headers(), role, opened.token(), csrfToken, maxAge);
    return new Principal(role, principalId, csrfToken);
  }

  /**
   * Refuses (429) a log-in or sign-up attempt for {@code phone} that the limiter holds back, per
   * phone and per TCP peer (behind a proxy that is the proxy: X-Forwarded-For is not trusted).
   */
  static void limitLogin(LoginRateLimiter limiter, ServerRequest request, String phone) {
    String address = request.remotePeer().address() instanceof InetSocketAddress a
        && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
    LoginRateLimiter.Refusal refusal = limiter.tryAcquire(phone, address);
    if (refusal != null) {
      long seconds = Math.max(1, Duration.between(Instant.now(), refusal.retryAt()).toSeconds());
      throw new WebException(Status.TOO_MANY_REQUESTS_429, "rate_limited",
          refusal.reason() + "; try again in " + (seconds + 59) / 60 + " minute(s)");
    }
  }

  /** Ends the request's session of {@code role} (after {@link #require}) and drops its cookies. */
  public void logOut(ServerRequest request, ServerResponse response, SessionRole role) {
    cookies.read(request, role).ifPresent(sessions::revoke);
    cookies.clear(response.headers(), role);
  }
}
