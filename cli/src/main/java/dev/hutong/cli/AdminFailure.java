package dev.hutong.cli;

/**
 * An admin command failed: printed as {@code {"error":"<message>","sub_code":"<code>"}}. The code
 * is the server's (ACQ.*, CASHIER.*, IDENTITY.*, ADMIN.*) or the command's own (CLI.*).
 */
final class AdminFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String subCode;

  AdminFailure(String message, String subCode) {
    super(message);
    this.subCode = subCode;
  }

  /** Null when none applies. */
  String subCode() {
    return subCode;
  }
}
