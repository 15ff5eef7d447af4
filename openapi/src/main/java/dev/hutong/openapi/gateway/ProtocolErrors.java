package dev.hutong.openapi.gateway;

import static dev.hutong.openapi.gateway.ResultCode.INVALID_ARGUMENTS;
import static dev.hutong.openapi.gateway.ResultCode.MISSING_REQUIRED_ARGUMENTS;
import static dev.hutong.openapi.gateway.ResultCode.SERVICE_UNAVAILABLE;

/**
 * The protocol errors the gateway answers, with Alipay's sub_codes. Each sub_msg starts with
 * Alipay's own Chinese text for the sub_code (so messages look familiar to developers who know
 * Alipay) and goes on to say what exactly was wrong and what to do.
 */
final class ProtocolErrors {
  static final String MISSING_APP_ID = "isv.missing-app-id";
  static final String MISSING_METHOD = "isv.missing-method";
  static final String MISSING_SIGNATURE = "isv.missing-signature";
  static final String MISSING_SIGNATURE_TYPE = "isv.missing-signature-type";
  static final String MISSING_TIMESTAMP = "isv.missing-timestamp";
  static final String MISSING_VERSION = "isv.missing-version";
  static final String INVALID_APP_ID = "isv.invalid-app-id";
  static final String INVALID_METHOD = "isv.invalid-method";
  static final String INVALID_SIGNATURE_TYPE = "isv.invalid-signature-type";
  static final String INVALID_CHARSET = "isv.invalid-charset";
  static final String INVALID_TIMESTAMP = "isv.invalid-timestamp";
  static final String INVALID_SIGNATURE = "isv.invalid-signature";
  static final String INVALID_FORMAT = "isv.invalid-format";
  static final String INVALID_PARAMETER = "isv.invalid-parameter";
  static final String NOT_VALID_ENCRYPT_KEY = "isv.decryption-error-not-valid-encrypt-key";
  /** Alipay's spelling, "unknow", kept: clients match on it. */
  static final String HANDLER_UNKNOWN_ERROR = "isp.unknow-error";
  static final String GATEWAY_UNKNOWN_ERROR = "aop.unknow-error";

  /** Alipay's text before the verified string, which developers compare with their own. */
  static final String INVALID_SIGNATURE_PREFIX =
      "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：";

  private ProtocolErrors() {}

  static GatewayError missing(String subCode, String parameter) {
    String alipayText = switch (subCode) {
      case MISSING_APP_ID -> "缺少AppID参数";
      case MISSING_METHOD -> "缺少方法名参数";
      case MISSING_SIGNATURE -> "缺少签名参数";
      case MISSING_SIGNATURE_TYPE -> "缺少签名类型参数";
      case MISSING_TIMESTAMP -> "缺少时间戳参数";
      case MISSING_VERSION -> "缺少版本参数";
      default -> throw new IllegalArgumentException("not a missing-parameter sub_code: " + subCode);
    };
    return GatewayError.of(MISSING_REQUIRED_ARGUMENTS, subCode, alipayText + ": the request has "
        + "no " + parameter + " parameter (or only blanks); protocol parameters go in the query "
        + "string or the form body");
  }

  static GatewayError invalidAppId(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_APP_ID, "无效的AppID参数: " + detail);
  }

  static GatewayError invalidMethod(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_METHOD, "不存在的方法名: " + detail);
  }

  static GatewayError invalidSignatureType(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_SIGNATURE_TYPE, "无效的签名类型: " + detail);
  }

  static GatewayError invalidCharset(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_CHARSET, "字符集错误: " + detail);
  }

  static GatewayError invalidTimestamp(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_TIMESTAMP, "非法的时间戳参数: " + detail);
  }

  /** The verified string at the end, as Alipay writes it, cut if it is very long. */
  static GatewayError signatureMismatch(String signContent) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_SIGNATURE,
        INVALID_SIGNATURE_PREFIX + signContent);
  }

  static GatewayError invalidSignature(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_SIGNATURE, "无效签名: " + detail);
  }

  static GatewayError invalidFormat(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_FORMAT, "无效的数据格式: " + detail);
  }

  static GatewayError invalidParameter(String detail) {
    return GatewayError.of(INVALID_ARGUMENTS, INVALID_PARAMETER, "参数无效: " + detail);
  }

  static GatewayError encryptionUnsupported(String encryptType) {
    return GatewayError.of(INVALID_ARGUMENTS, NOT_VALID_ENCRYPT_KEY,
        "解密出错, 未配置加密密钥或加密密钥格式错误: encrypt_type=" + encryptType + " asks for "
            + "content encryption, which this gateway does not offer; call without "
            + "setNeedEncrypt(true) and without encrypt_type");
  }

  static GatewayError handlerFailed(String incident) {
    return GatewayError.of(SERVICE_UNAVAILABLE, HANDLER_UNKNOWN_ERROR,
        "服务暂不可用（业务系统不可用）: the method failed unexpectedly; retry later, and query "
            + "before retrying anything that moves money; incident " + incident);
  }

  static GatewayError gatewayFailed(String incident) {
    return GatewayError.of(SERVICE_UNAVAILABLE, GATEWAY_UNKNOWN_ERROR,
        "服务暂不可用（网关自身的未知错误）: the gateway failed unexpectedly; retry later; "
            + "incident " + incident);
  }
}
