package dev.hutong.openapi;

import dev.hutong.openapi.gateway.GatewayError;

/**
 * Carries a {@link GatewayError} out of the depths of a method handler (a field that does not
 * parse, a token that does not verify) to the handler's top, which answers it. Never leaves this
 * package; no stack trace, because it is an answer, not a fault.
 */
final class GatewayFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient GatewayError error;

  GatewayFailure(GatewayError error) {
    super(error.subCode(), null, false, false);
    this.error = error;
  }

  GatewayError error() {
    return error;
  }
}
