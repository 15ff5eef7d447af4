package dev.hutong.openapi.gateway;

/**
 * What the HTTP adapter writes back. The status is 200 for every protocol and business outcome, as
 * Alipay's gateway answers; the client reads the outcome from the body.
 *
 * @param contentType includes the charset, which the SDK uses to decode the body
 */
public record GatewayResponse(int status, String contentType, byte[] body) {
  static final int OK = 200;
}
