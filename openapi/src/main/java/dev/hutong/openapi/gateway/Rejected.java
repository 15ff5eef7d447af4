package dev.hutong.openapi.gateway;

/**
 * A request refused by a protocol check. Thrown inside the gateway's checks and caught at {@link
 * Gateway#handle}, so that each check reads as a straight line; it never leaves the gateway.
 */
final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient GatewayError error;

  Rejected(GatewayError error) {
    // No stack trace: this is an answer to bad input, not a fault in the gateway.
    super(error.subCode() + ": " + error.subMsg(), null, false, false);
    this.error = error;
  }

  GatewayError error() {
    return error;
  }
}
