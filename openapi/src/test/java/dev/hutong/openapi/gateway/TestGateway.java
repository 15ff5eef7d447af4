package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * A gateway wired for tests: test-only handlers under real method names, and apps that all sign
 * with {@link TestKeys#APP}.
 */
final class TestGateway {
  /** May sign with RSA2 or RSA. */
  static final String APP_ID = "2021000000000001";
  /** May sign with RSA2 only. */
  static final String RSA2_ONLY_APP_ID = "2021000000000003";
  static final String SUSPENDED_APP_ID = "2021000000000004";
  static final String UNKNOWN_APP_ID = "2021999999999999";

  static final String TRADE_NO = "2024050122001400001234567890";
  /** out_trade_no for which the query handler answers ACQ.TRADE_NOT_EXIST. */
  static final String NO_SUCH_TRADE = "no-such-trade";

  private TestGateway() {}

  static Gateway create(GatewayLimits limits, Clock clock) {
    return new Gateway(apps(), methods(), TestKeys.PLATFORM_KEYS, limits, clock);
  }

  static InMemoryAppDirectory apps() {
    InMemoryAppDirectory apps = new InMemoryAppDirectory(TestKeys.PLATFORM_KEYS);
    apps.register(app(APP_ID, Set.of(SignType.RSA2, SignType.RSA), AppStatus.ACTIVE));
    apps.register(app(RSA2_ONLY_APP_ID, Set.of(SignType.RSA2), AppStatus.ACTIVE));
    apps.register(app(SUSPENDED_APP_ID, Set.of(SignType.RSA2), AppStatus.SUSPENDED));
    return apps;
  }

  static RegisteredApp app(String appId, Set<SignType> signTypes, AppStatus status) {
    return new RegisteredApp(appId, "merchant-1", TestKeys.appPublicKey(), signTypes, status,
        "https://merchant.example/notify");
  }

  static GatewayMethods methods() {
    return GatewayMethods.of(Map.of(
        "alipay.trade.query", TestGateway::query,
        "alipay.trade.cancel", call -> {
          throw new IllegalStateException("test handler failure");
        },
        "alipay.trade.refund", call -> GatewayResult.success(
            Json.MAPPER.createObjectNode().put("refund_fee", new BigDecimal("1.50"))),
        "alipay.system.oauth.token", GatewayMethod.withoutBizContent(TestGateway::oauthToken)));
  }

  /** Echoes subject and store_name so tests can see text survive both directions. */
  private static GatewayResult query(GatewayCall call) {
    String outTradeNo = call.bizContent().path("out_trade_no").asText("");
    if (outTradeNo.equals(NO_SUCH_TRADE)) {
      return GatewayError.businessFailed("ACQ.TRADE_NOT_EXIST", "交易不存在");
    }
    ObjectNode fields = Json.MAPPER.createObjectNode()
        .put("trade_no", TRADE_NO)
        .put("out_trade_no", outTradeNo)
        .put("trade_status", "TRADE_SUCCESS")
        .put("total_amount", "88.88")
        .put("send_pay_date", "2024-05-01 12:00:00")
        .put("subject", call.bizContent().path("subject").asText(""))
        .put("store_name", call.bizContent().path("store_name").asText(""))
        .put("buyer_logon_id", call.app().merchantId());
    return GatewayResult.success(fields);
  }

  private static GatewayResult oauthToken(GatewayCall call) {
    if (!"authorization_code".equals(call.param("grant_type").orElse(""))) {
      return GatewayError.invalidArguments("isv.invalid-parameter", "grant_type");
    }
    return GatewayResult.success(Json.MAPPER.createObjectNode()
        .put("access_token", "token-for-" + call.param("code").orElse(""))
        .put("user_id", "2088000000000001")
        .put("expires_in", "1296000"));
  }
}
