package dev.hutong.openapi.gateway;

import java.util.Objects;

/**
 * A failed call as the client sees it: code and msg from {@link ResultCode}, sub_code and sub_msg
 * naming the precise problem. The SDK decides success by sub_code alone ({@code
 * AlipayResponse.isSuccess()} is "sub_code is blank"), so an error without a sub_code would be
 * taken for a success; the constructor refuses that.
 */
public record GatewayError(String code, String msg, String subCode, String subMsg)
    implements GatewayResult {
  /** Bounds what one error can add to a response; a longer sub_msg is cut, not refused. */
  public static final int SUB_MSG_CHARS_MAX = 16 * 1024;
  static final int SUB_CODE_CHARS_MAX = 128;

  public GatewayError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(msg, "msg");
    Objects.requireNonNull(subCode, "subCode");
    Objects.requireNonNull(subMsg, "subMsg");
    if (!code.matches("[1-9][0-9]{4}") || code.equals(ResultCode.SUCCESS.code())) {
      throw new IllegalArgumentException("an error needs a five-digit failure code, not " + code);
    }
    if (msg.isBlank() || subCode.isBlank() || subMsg.isBlank()) {
      throw new IllegalArgumentException("msg, sub_code and sub_msg of an error must not be blank");
    }
    if (subCode.length() > SUB_CODE_CHARS_MAX) {
      throw new IllegalArgumentException("sub_code longer than " + SUB_CODE_CHARS_MAX + " chars");
    }
    subMsg = truncate(subMsg);
  }

  public static GatewayError of(ResultCode code, String subCode, String subMsg) {
    return new GatewayError(code.code(), code.msg(), subCode, subMsg);
  }

  /** 40004: the request was valid, the business refused it (ACQ.TRADE_NOT_EXIST and the like). */
  public static GatewayError businessFailed(String subCode, String subMsg) {
    return of(ResultCode.BUSINESS_FAILED, subCode, subMsg);
  }

  /** 40006: the app lacks the product or permission for this call. */
  public static GatewayError insufficientPermissions(String subCode, String subMsg) {
    return of(ResultCode.INSUFFICIENT_PERMISSIONS, subCode, subMsg);
  }

  /** 20001: the auth_token or app_auth_token is invalid or expired. */
  public static GatewayError insufficientTokenPermissions(String subCode, String subMsg) {
    return of(ResultCode.INSUFFICIENT_TOKEN_PERMISSIONS, subCode, subMsg);
  }

  /** 40002 with a method-specific sub_code, for application parameters the handler rejects. */
  public static GatewayError invalidArguments(String subCode, String subMsg) {
    return of(ResultCode.INVALID_ARGUMENTS, subCode, subMsg);
  }

  static String truncate(String text) {
    if (text.length() <= SUB_MSG_CHARS_MAX) {
      return text;
    }
    String marker = "...(cut, " + text.length() + " chars in all)";
    return text.substring(0, SUB_MSG_CHARS_MAX - marker.length()) + marker;
  }
}
