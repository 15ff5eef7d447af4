package dev.hutong.openapi.gateway;

/**
 * Names of the response's single object member. The SDK locates the signed content by searching
 * the body for "&lt;method with dots as underscores&gt;_response" and, failing that, for
 * "error_response" (Alipay's older failure node), so a method name that cannot be trusted in a
 * JSON key gets the latter.
 */
final class ResponseNodes {
  static final String ERROR_NODE = "error_response";

  private ResponseNodes() {}

  static String forMethod(String method) {
    if (!GatewayMethods.isWellFormedName(method)) {
      return ERROR_NODE;
    }
    return method.replace('.', '_') + "_response";
  }
}
