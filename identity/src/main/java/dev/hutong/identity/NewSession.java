package dev.hutong.identity;

/**
 * A session just opened. {@code token} is the only copy of the session id: it goes into the
 * cookie and is never stored or logged.
 */
public record NewSession(String token, Session session) {
  @Override
  public String toString() {
    return "NewSession[" + session + "]";
  }
}
