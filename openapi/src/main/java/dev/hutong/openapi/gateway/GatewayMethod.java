package dev.hutong.openapi.gateway;

/**
 * The handler of one Open API method (alipay.trade.query, ...). It runs only after the request
 * passed every protocol check: the app is known and active, the signature verified, biz_content
 * (if any) is a JSON object. It returns the business fields or a {@link GatewayError}; any
 * exception it throws is answered as 20000 isp.unknow-error and logged, never shown to the client.
 */
@FunctionalInterface
public interface GatewayMethod {
  GatewayResult handle(GatewayCall call);

  /**
   * Most methods take their arguments as a JSON object in biz_content and are refused before
   * {@link #handle} when it is missing. A few (alipay.system.oauth.token, alipay.user.info.share)
   * take plain application parameters instead; wrap those with {@link #withoutBizContent}.
   */
  default boolean requiresBizContent() {
    return true;
  }

  /** A method whose arguments are plain parameters; biz_content, if sent, must still be JSON. */
  static GatewayMethod withoutBizContent(GatewayMethod handler) {
    return new GatewayMethod() {
      @Override
      public GatewayResult handle(GatewayCall call) {
        return handler.handle(call);
      }

      @Override
      public boolean requiresBizContent() {
        return false;
      }
    };
  }
}
