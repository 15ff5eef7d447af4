package dev.hutong.openapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.request.AlipayTradeCancelRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import com.alipay.api.response.AlipayTradeCancelResponse;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The official Alipay SDK, unmodified, against the gateway over real HTTP. */
class SdkClientTest {
  private static GatewayHttpServer server;

  @BeforeAll
  static void start() {
    AlipayLogger.setNeedEnableLogger(false);
    GatewayLimits limits = GatewayLimits.defaults();
    server = GatewayHttpServer.start(TestGateway.create(limits, Clock.systemUTC()), limits);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> charsetsAndSignTypes() {
    return Stream.of(
        Arguments.of("UTF-8", "RSA2"), Arguments.of("UTF-8", "RSA"),
        Arguments.of("GBK", "RSA2"), Arguments.of("GBK", "RSA"));
  }

  private static DefaultAlipayClient client(String appId, String privateKey, String charset,
      String signType) {
    return new DefaultAlipayClient(server.url(), appId, privateKey, "json", charset,
        TestKeys.platformPublic(), signType);
  }

  private static DefaultAlipayClient client(String charset, String signType) {
    return client(TestGateway.APP_ID, TestKeys.appPrivate(), charset, signType);
  }

  private static AlipayTradeQueryRequest query(String outTradeNo, String subject) {
    return queryWith("{\"out_trade_no\":\"" + outTradeNo + "\",\"subject\":\"" + subject + "\"}");
  }

  private static AlipayTradeQueryRequest queryWith(String bizContent) {
    AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
    request.setBizContent(bizContent);
    return request;
  }

  /** The request as an SDK client with the usual settings (UTF-8, RSA2) sends it. */
  private static <T extends AlipayResponse> T execute(AlipayRequest<T> request)
      throws AlipayApiException {
    return client("UTF-8", "RSA2").execute(request);
  }

  /** A handler's failure: a signed isp.unknow-error naming an incident, never the exception. */
  private static void assertHandlerFailed(AlipayResponse response) {
    assertThat(response.getCode()).isEqualTo("20000");
    assertThat(response.getMsg()).isEqualTo("Service Currently Unavailable");
    assertThat(response.getSubCode()).isEqualTo("isp.unknow-error");
    assertThat(response.getSubMsg()).contains("incident");
    assertThat(response.getBody()).contains("\"sign\":\"");
  }

  /** A refusal in Alipay's protocol: code 40002 and the sub_code, its sub_msg naming the fault. */
  private static void assertInvalid(AlipayResponse response, String subCode, String... subMsgParts) {
    assertThat(response.isSuccess()).isFalse();
    assertThat(response.getCode()).isEqualTo("40002");
    assertThat(response.getSubCode()).isEqualTo(subCode);
    for (String part : subMsgParts) {
      assertThat(response.getSubMsg()).contains(part);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void queryRoundTripsChineseAndTheSdkVerifiesTheResponse(String charset, String signType)
      throws AlipayApiException {
    AlipayTradeQueryResponse response = client(charset, signType)
        .execute(query("order-1", "北京烤鸭 双人套餐"));

    assertThat(response.isSuccess()).isTrue();
    assertThat(response.getCode()).isEqualTo("10000");
    assertThat(response.getMsg()).isEqualTo("Success");
    assertThat(response.getSubCode()).isNull();
    assertThat(response.getTradeNo()).isEqualTo(TestGateway.TRADE_NO);
    assertThat(response.getOutTradeNo()).isEqualTo("order-1");
    assertThat(response.getTotalAmount()).isEqualTo("88.88");
    assertThat(response.getSubject()).isEqualTo("北京烤鸭 双人套餐");
    assertThat(response.getSendPayDate().toInstant()).isEqualTo(
        LocalDateTime.of(2024, 5, 1, 12, 0).toInstant(ZoneOffset.ofHours(8)));
    assertThat(response.getBody()).contains("\"sign\":\"");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void businessErrorsAreSignedAndSurface(String charset, String signType)
      throws AlipayApiException {
    AlipayTradeQueryResponse response = client(charset, signType)
        .execute(query(TestGateway.NO_SUCH_TRADE, "x"));

    assertThat(response.isSuccess()).isFalse();
    assertThat(response.getCode()).isEqualTo("40004");
    assertThat(response.getMsg()).isEqualTo("Business Failed");
    assertThat(response.getSubCode()).isEqualTo("ACQ.TRADE_NOT_EXIST");
    assertThat(response.getSubMsg()).isEqualTo("交易不存在");
    // The SDK verifies a failure's signature whenever one is present, so it was checked here.
    assertThat(response.getBody()).contains("\"sign\":\"");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void charsTheResponseCharsetCannotCarryBecomeQuestionMarksAndStillVerify(String charset,
      String signType) throws AlipayApiException {
    // A JSON escape, because a GBK request cannot carry the emoji raw either.
    AlipayTradeQueryResponse response = client(charset, signType).execute(
        queryWith("{\"out_trade_no\":\"o\",\"store_name\":\"面馆 \\ud83c\\udf5c €\"}"));

    assertThat(response.isSuccess()).isTrue();
    String expected = charset.equals("GBK") ? "面馆 ? €" : "面馆 \ud83c\udf5c €";
    assertThat(response.getStoreName()).isEqualTo(expected);
  }

  @Test
  void unknownAppIdSurfacesAsInvalidAppIdWithoutSignature() throws AlipayApiException {
    AlipayTradeQueryResponse response = client(TestGateway.UNKNOWN_APP_ID, TestKeys.appPrivate(),
        "UTF-8", "RSA2").execute(query("o", "s"));

    assertInvalid(response, "isv.invalid-app-id");
    assertThat(response.getMsg()).isEqualTo("Invalid Arguments");
    assertThat(response.getSubMsg()).startsWith("无效的AppID参数").contains(TestGateway.UNKNOWN_APP_ID);
    assertThat(response.getBody()).doesNotContain("\"sign\"");
  }

  @Test
  void suspendedAppIsRefused() throws AlipayApiException {
    AlipayTradeQueryResponse response = client(TestGateway.SUSPENDED_APP_ID, TestKeys.appPrivate(),
        "UTF-8", "RSA2").execute(query("o", "s"));

    assertInvalid(response, "isv.invalid-app-id", "suspended");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void wrongPrivateKeyGivesInvalidSignatureWithTheVerifiedString(String charset, String signType)
      throws AlipayApiException {
    AlipayTradeQueryResponse response = client(TestGateway.APP_ID, TestKeys.strangerPrivate(),
        charset, signType).execute(query("o", "北京"));

    assertInvalid(response, "isv.invalid-signature");
    String verified = response.getSubMsg().substring(
        ProtocolErrors.INVALID_SIGNATURE_PREFIX.length());
    assertThat(response.getSubMsg()).startsWith(ProtocolErrors.INVALID_SIGNATURE_PREFIX);
    assertThat(verified)
        .startsWith("alipay_sdk=alipay-sdk-java-")
        .contains("&app_id=" + TestGateway.APP_ID + "&biz_content={\"out_trade_no\":\"o\","
            + "\"subject\":\"北京\"}&charset=" + charset)
        .contains("&sign_type=" + signType + "&timestamp=")
        .doesNotContain("&sign=")
        .endsWith("&version=1.0");
  }

  @Test
  void signTypeTheAppMayNotUseIsRefused() throws AlipayApiException {
    AlipayTradeQueryResponse response = client(TestGateway.RSA2_ONLY_APP_ID,
        TestKeys.appPrivate(), "UTF-8", "RSA").execute(query("o", "s"));

    assertInvalid(response, "isv.invalid-signature-type", "may not sign with RSA", "RSA2");
  }

  @Test
  void methodTheGatewayDoesNotServeIsInvalidMethod() throws AlipayApiException {
    AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
    request.setBizContent("{}");

    AlipayTradePrecreateResponse response = execute(request);

    assertInvalid(response, "isv.invalid-method", "alipay.trade.precreate");
    assertThat(response.getBody()).startsWith("{\"alipay_trade_precreate_response\":{");
  }

  @Test
  void missingBizContentIsInvalidParameterAndSigned() throws AlipayApiException {
    AlipayTradeQueryResponse response = execute(new AlipayTradeQueryRequest());

    assertInvalid(response, "isv.invalid-parameter", "biz_content is missing");
    assertThat(response.getBody()).contains("\"sign\":\"");
  }

  @Test
  void bizContentThatIsNotJsonIsInvalidParameter() throws AlipayApiException {
    AlipayTradeQueryResponse response = client("GBK", "RSA2")
        .execute(queryWith("{\"out_trade_no\":"));

    assertInvalid(response, "isv.invalid-parameter", "biz_content is not valid JSON at line 1");
  }

  @Test
  void bizContentWithDuplicateKeysIsRefused() throws AlipayApiException {
    AlipayTradeQueryResponse response =
        execute(queryWith("{\"out_trade_no\":\"a\",\"out_trade_no\":\"b\"}"));

    assertInvalid(response, "isv.invalid-parameter", "Duplicate field 'out_trade_no'");
  }

  @Test
  void methodWithPlainApplicationParametersNeedsNoBizContent() throws AlipayApiException {
    AlipaySystemOauthTokenRequest request = new AlipaySystemOauthTokenRequest();
    request.setGrantType("authorization_code");
    request.setCode("auth-code-1");

    AlipaySystemOauthTokenResponse response = execute(request);

    assertThat(response.isSuccess()).isTrue();
    assertThat(response.getAccessToken()).isEqualTo("token-for-auth-code-1");
    assertThat(response.getUserId()).isEqualTo("2088000000000001");
  }

  @Test
  void handlerExceptionBecomesSignedUnknowError() throws AlipayApiException {
    AlipayTradeCancelRequest request = new AlipayTradeCancelRequest();
    request.setBizContent("{\"out_trade_no\":\"o\"}");

    AlipayTradeCancelResponse response = execute(request);

    assertHandlerFailed(response);
    assertThat(response.getSubMsg()).doesNotContain("test handler failure");
  }

  @Test
  void handlerReturningAFloatAmountIsCaughtAsAHandlerBug() throws AlipayApiException {
    AlipayTradeRefundRequest request = new AlipayTradeRefundRequest();
    request.setBizContent("{\"out_trade_no\":\"o\",\"refund_amount\":\"1.50\"}");

    AlipayTradeRefundResponse response = execute(request);

    assertHandlerFailed(response);
    assertThat(response.getRefundFee()).isNull();
  }

  @Test
  void oversizeBizContentIsRefusedWithTheLimit() throws AlipayApiException {
    AlipayTradeQueryResponse response = execute(query("o", "x".repeat(600 * 1024)));

    assertInvalid(response, "isv.invalid-parameter", "biz_content", "524288");
  }

  @Test
  void oversizeBodyIsRefusedWithTheLimit() throws AlipayApiException {
    AlipayTradeQueryRequest request = queryWith("{\"out_trade_no\":\"o\"}");
    request.putOtherTextParam("padding", "y".repeat(1100 * 1024));

    AlipayTradeQueryResponse response = execute(request);

    assertInvalid(response, "isv.invalid-parameter", "the body has more than 1048576 bytes");
  }
}
