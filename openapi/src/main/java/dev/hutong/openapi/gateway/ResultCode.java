package dev.hutong.openapi.gateway;

/**
 * The gateway-level result codes of Alipay's v2 protocol, with Alipay's exact English msg texts.
 */
public enum ResultCode {
  SUCCESS("10000", "Success"),
  SERVICE_UNAVAILABLE("20000", "Service Currently Unavailable"),
  INSUFFICIENT_TOKEN_PERMISSIONS("20001", "Insufficient Token Permissions"),
  MISSING_REQUIRED_ARGUMENTS("40001", "Missing Required Arguments"),
  INVALID_ARGUMENTS("40002", "Invalid Arguments"),
  BUSINESS_FAILED("40004", "Business Failed"),
  INSUFFICIENT_PERMISSIONS("40006", "Insufficient Permissions");

  private final String code;
  private final String msg;

  ResultCode(String code, String msg) {
    this.code = code;
    this.msg = msg;
  }

  public String code() {
    return code;
  }

  public String msg() {
    return msg;
  }
}
