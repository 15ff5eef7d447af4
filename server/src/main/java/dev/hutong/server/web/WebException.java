package dev.hutong.server.web;

import io.helidon.http.Status;

/**
 * A refused browser-facing request: the HTTP status, a stable machine-readable {@code error} code
 * and a sentence for people. Answered as {@code {"error": code, "message": message}}.
 */
public final class WebException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final String code;

  public WebException(Status status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public Status status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static WebException badRequest(String code, String message) {
    return new WebException(Status.BAD_REQUEST_400, code, message);
  }

  public static WebException unauthorized() {
    return new WebException(Status.UNAUTHORIZED_401, "not_logged_in",
        "log in first (the session is missing, expired or ended)");
  }

  public static WebException forbidden(String code, String message) {
    return new WebException(Status.FORBIDDEN_403, code, message);
  }
}
