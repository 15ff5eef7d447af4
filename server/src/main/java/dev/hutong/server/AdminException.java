package dev.hutong.server;

import io.helidon.http.Status;

/**
 * A refused admin request: the HTTP status, a stable {@code sub_code} scripts can branch on, and
 * a message that says what was wrong and what to do.
 */
final class AdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final String subCode;

  AdminException(Status status, String subCode, String message) {
    super(message);
    this.status = status;
    this.subCode = subCode;
  }

  Status status() {
    return status;
  }

  String subCode() {
    return subCode;
  }

  static AdminException badRequest(String subCode, String message) {
    return new AdminException(Status.BAD_REQUEST_400, subCode, message);
  }

  static AdminException missing(String field) {
    return badRequest("ADMIN.MISSING_FIELD", "the field \"" + field + "\" is required");
  }

  static AdminException invalid(String field, String what) {
    return badRequest("ADMIN.INVALID_FIELD", "the field \"" + field + "\" " + what);
  }
}
