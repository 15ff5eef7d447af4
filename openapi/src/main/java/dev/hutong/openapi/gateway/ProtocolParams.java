package dev.hutong.openapi.gateway;

/** Names of the protocol's parameters, as the SDK sends them. */
final class ProtocolParams {
  static final String APP_ID = "app_id";
  static final String METHOD = "method";
  static final String FORMAT = "format";
  static final String CHARSET = "charset";
  static final String SIGN_TYPE = "sign_type";
  static final String SIGN = "sign";
  static final String TIMESTAMP = "timestamp";
  static final String VERSION = "version";
  static final String NOTIFY_URL = "notify_url";
  static final String BIZ_CONTENT = "biz_content";
  static final String ENCRYPT_TYPE = "encrypt_type";
  static final String APP_CERT_SN = "app_cert_sn";
  static final String ALIPAY_ROOT_CERT_SN = "alipay_root_cert_sn";

  private ProtocolParams() {}
}
