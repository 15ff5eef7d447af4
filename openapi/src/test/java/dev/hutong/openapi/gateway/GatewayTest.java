package dev.hutong.openapi.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The gateway called directly, for what is awkward to provoke over HTTP. */
class GatewayTest {
  private static final String FORM = "application/x-www-form-urlencoded;charset=UTF-8";
  private static final LocalDateTime NOW = LocalDateTime.of(2024, 5, 1, 12, 0, 0);
  private static final Clock CLOCK = Clock.fixed(NOW.toInstant(ZoneOffset.ofHours(8)),
      ZoneOffset.UTC);

  private static Gateway gateway(AppDirectory apps, GatewayMethods methods, GatewayLimits limits) {
    return new Gateway(apps, methods, TestKeys.PLATFORM_KEYS, limits, CLOCK);
  }

  private static Gateway gateway(GatewayMethods methods) {
    return gateway(TestGateway.apps(), methods, GatewayLimits.defaults());
  }

  private static RawRequest query(LocalDateTime timestamp, String charset) {
    return query(timestamp, charset, "{\"out_trade_no\":\"o\",\"subject\":\"饺子\"}");
  }

  private static RawRequest query(LocalDateTime timestamp, String charset, String bizContent) {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", charset,
        "RSA2");
    params.put("timestamp", RawClient.TIMESTAMP.format(timestamp));
    params.put("biz_content", bizContent);
    Charset encoding = Charset.forName(charset);
    return new RawRequest("POST", "", "application/x-www-form-urlencoded;charset=" + charset,
        RawClient.form(RawClient.signed(params, TestKeys.appPrivate()), encoding)
            .getBytes(US_ASCII));
  }

  private static JsonNode json(GatewayResponse response, Charset charset) throws Exception {
    return Json.MAPPER.readTree(new String(response.body(), charset));
  }

  @Test
  void successBodyIsExactlyTheNodeThenTheSignatureOverItsBytes() throws Exception {
    GatewayResponse response = gateway(TestGateway.methods()).handle(query(NOW, "GBK"));

    Charset gbk = Charset.forName("GBK");
    String body = new String(response.body(), gbk);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json;charset=GBK");
    assertThat(body).startsWith("{\"alipay_trade_query_response\":{\"code\":\"10000\","
        + "\"msg\":\"Success\",\"trade_no\":");
    JsonNode root = json(response, gbk);
    assertThat(names(root)).containsExactly("alipay_trade_query_response", "sign");
    assertThat(root.get("alipay_trade_query_response").has("sub_code")).isFalse();
    String node = body.substring(body.indexOf(':') + 1, body.lastIndexOf(",\"sign\":"));
    assertThat(Signatures.verify(TestKeys.PLATFORM.getPublic(), SignType.RSA2, node.getBytes(gbk),
        Base64.getDecoder().decode(root.get("sign").asText()))).isTrue();
  }

  @Test
  void refusalsBeforeAuthenticationHaveOneRootMemberAndNoSign() throws Exception {
    GatewayResponse response = gateway(TestGateway.methods())
        .handle(new RawRequest("GET", "method=alipay.trade.query", null, null));

    JsonNode root = json(response, UTF_8);
    assertThat(names(root)).containsExactly("alipay_trade_query_response");
    assertThat(root.get("alipay_trade_query_response").get("sub_code").asText())
        .isEqualTo("isv.missing-app-id");
  }

  @Test
  void timestampSkewIsInclusiveAndConfigurable() {
    Gateway gateway = gateway(TestGateway.methods());
    GatewayLimits oneMinute = new GatewayLimits(1 << 20, 1 << 16, 64, 64, 1 << 14, 1 << 19,
        Duration.ofMinutes(1));
    Gateway strict = gateway(TestGateway.apps(), TestGateway.methods(), oneMinute);

    assertThat(subCode(gateway.handle(query(NOW.minusMinutes(15), "UTF-8")))).isNull();
    assertThat(subCode(gateway.handle(query(NOW.plusMinutes(15), "UTF-8")))).isNull();
    assertThat(subCode(gateway.handle(query(NOW.minusMinutes(15).minusSeconds(1), "UTF-8"))))
        .isEqualTo("isv.invalid-timestamp");
    assertThat(subCode(strict.handle(query(NOW.minusSeconds(61), "UTF-8"))))
        .isEqualTo("isv.invalid-timestamp");
  }

  @Test
  void directoryFailureIsAopUnknowErrorWithoutDetails() throws Exception {
    AppDirectory broken = appId -> {
      throw new IllegalStateException("connection refused: db.internal:5432");
    };
    GatewayResponse response = gateway(broken, TestGateway.methods(), GatewayLimits.defaults())
        .handle(query(NOW, "UTF-8"));

    String body = new String(response.body(), UTF_8);
    assertThat(response.status()).isEqualTo(200);
    assertThat(body).doesNotContain("db.internal").doesNotContain("Exception")
        .contains("服务暂不可用").doesNotContain("\\u");
    JsonNode node = json(response, UTF_8).get("error_response");
    assertThat(node.get("code").asText()).isEqualTo("20000");
    assertThat(node.get("msg").asText()).isEqualTo("Service Currently Unavailable");
    assertThat(node.get("sub_code").asText()).isEqualTo("aop.unknow-error");
    assertThat(node.get("sub_msg").asText()).contains("incident");
  }

  @Test
  void handlerBugsBecomeIspUnknowError() {
    List<GatewayMethod> buggy = List.of(
        call -> null,
        call -> GatewayResult.success(Json.MAPPER.createObjectNode().put("sub_code", "x")),
        call -> GatewayResult.success(Json.MAPPER.createObjectNode().put("amount", 1.5)),
        call -> {
          throw new AssertionError("invariant broken");
        });
    for (GatewayMethod handler : buggy) {
      Gateway gateway = gateway(GatewayMethods.of(Map.of("alipay.trade.query", handler)));

      assertThat(subCode(gateway.handle(query(NOW, "UTF-8")))).isEqualTo("isp.unknow-error");
    }
  }

  @Test
  void handlerSeesTheVerifiedCall() {
    GatewayCall[] seen = new GatewayCall[1];
    Gateway gateway = gateway(GatewayMethods.of(Map.of("alipay.trade.query", call -> {
      seen[0] = call;
      return GatewayResult.success(Json.MAPPER.createObjectNode());
    })));

    gateway.handle(query(NOW, "GBK"));

    GatewayCall call = seen[0];
    assertThat(call.app().appId()).isEqualTo(TestGateway.APP_ID);
    assertThat(call.method()).isEqualTo("alipay.trade.query");
    assertThat(call.charset()).isEqualTo(ProtocolCharset.GBK);
    assertThat(call.signType()).isEqualTo(SignType.RSA2);
    assertThat(call.bizContent().get("subject").asText()).isEqualTo("饺子");
    assertThat(call.params()).containsKeys("app_id", "sign", "sign_type", "biz_content");
    assertThat(List.copyOf(call.params().keySet())).isSorted();
    assertThat(call.notifyUrl()).contains("https://merchant.example/notify");
  }

  @Test
  void bizContentMustBeAShallowJsonObject() throws Exception {
    Gateway gateway = gateway(TestGateway.methods());
    Map<String, String> cases = Map.of(
        "[1,2]", "biz_content must be a JSON object ({...}), not array",
        "\"text\"", "biz_content must be a JSON object ({...}), not string",
        "{} {}", "biz_content is not valid JSON at line 1",
        "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}",
        "biz_content is not valid JSON: Document nesting depth");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      GatewayResponse response = gateway.handle(query(NOW, "UTF-8", c.getKey()));

      JsonNode node = json(response, UTF_8).get("alipay_trade_query_response");
      assertThat(node.get("sub_code").asText()).isEqualTo("isv.invalid-parameter");
      assertThat(node.get("sub_msg").asText()).contains(c.getValue());
    }
  }

  @Test
  void nonAsciiInTheRawQueryIsRefused() {
    GatewayResponse response = gateway(TestGateway.methods())
        .handle(new RawRequest("GET", "subject=饺子", null, null));

    assertThat(new String(response.body(), UTF_8))
        .contains("the query string has the non-ASCII character '饺' at offset 8");
  }

  @Test
  void nullHttpMethodIsAnsweredNotThrown() {
    GatewayResponse response = gateway(TestGateway.methods())
        .handle(new RawRequest(null, null, null, null));

    assertThat(new String(response.body(), UTF_8)).contains("HTTP method null is not served");
  }

  @Test
  void oversizeBodyIsRefusedBeforeItIsParsed() {
    GatewayLimits small = new GatewayLimits(100, 1 << 16, 64, 64, 1 << 14, 1 << 19,
        Duration.ofMinutes(15));
    GatewayResponse response = gateway(TestGateway.apps(), TestGateway.methods(), small)
        .handle(new RawRequest("POST", "", FORM, "%".repeat(101).getBytes(US_ASCII)));

    assertThat(new String(response.body(), UTF_8)).contains("the body has more than 100 bytes");
  }

  @Test
  void registrationRefusesThePlatformKeyAndDuplicates() {
    InMemoryAppDirectory apps = new InMemoryAppDirectory(TestKeys.PLATFORM_KEYS);
    RegisteredApp platformKeyed = new RegisteredApp("2021000000000009", "m",
        TestKeys.PLATFORM_KEYS.publicKey(), Set.of(SignType.RSA2), AppStatus.ACTIVE, null);

    assertThatThrownBy(() -> apps.register(platformKeyed))
        .hasMessageContaining("registers the platform's own public key")
        .hasMessageContaining("generate a separate RSA key pair");
    apps.register(TestGateway.app("2021000000000009", Set.of(SignType.RSA2), AppStatus.ACTIVE));
    assertThatThrownBy(() -> apps.register(
            TestGateway.app("2021000000000009", Set.of(SignType.RSA2), AppStatus.ACTIVE)))
        .hasMessageContaining("is registered already");
  }

  @Test
  void replacingARegistrationTakesEffectOnTheNextRequest() throws Exception {
    InMemoryAppDirectory apps = TestGateway.apps();
    Gateway gateway = gateway(apps, TestGateway.methods(), GatewayLimits.defaults());
    assertThat(subCode(gateway.handle(query(NOW, "UTF-8")))).isNull();

    apps.replace(TestGateway.app(TestGateway.APP_ID, Set.of(SignType.RSA2), AppStatus.SUSPENDED));

    GatewayResponse response = gateway.handle(query(NOW, "UTF-8"));
    assertThat(subCode(response)).isEqualTo("isv.invalid-app-id");
    assertThat(new String(response.body(), UTF_8)).contains("is suspended");
    assertThatThrownBy(() -> apps.replace(TestGateway.app("2021000000000077",
            Set.of(SignType.RSA2), AppStatus.ACTIVE)))
        .hasMessageContaining("is not registered; register it first");
  }

  @Test
  void quotedContentTypeCharsetIsRead() {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", "GBK", "RSA2");
    params.put("timestamp", RawClient.TIMESTAMP.format(NOW));
    params = RawClient.signed(params, TestKeys.appPrivate());
    params.remove("charset");
    GatewayResponse response = gateway(TestGateway.methods()).handle(new RawRequest("POST", "",
        "Application/X-WWW-Form-Urlencoded; charset=\"gbk\"",
        RawClient.form(params, Charset.forName("GBK")).getBytes(US_ASCII)));

    // Signed with charset=GBK among the parameters, so the signature fails; but the answer is in
    // GBK, which shows the quoted charset was read.
    assertThat(response.contentType()).isEqualTo("application/json;charset=GBK");
    assertThat(subCode(response)).isEqualTo("isv.invalid-signature");
  }

  @Test
  void errorsCannotBeMistakenForSuccesses() {
    assertThatThrownBy(
            () -> new GatewayError("10000", "Success", "x", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> GatewayError.businessFailed(" ", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(GatewayError.businessFailed("ACQ.X", "y".repeat(100_000)).subMsg())
        .hasSize(GatewayError.SUB_MSG_CHARS_MAX).endsWith("(cut, 100000 chars in all)");
  }

  @Test
  void methodNamesAreChecked() {
    assertThatThrownBy(
            () -> GatewayMethods.of(Map.of("Alipay.Trade", call -> null)))
        .hasMessageContaining("is not dot-separated lower-case words");
  }

  private static List<String> names(JsonNode root) {
    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String subCode(GatewayResponse response) {
    try {
      JsonNode root = json(response, Charset.forName(
          response.contentType().substring(response.contentType().indexOf('=') + 1)));
      JsonNode node = root.get(root.fieldNames().next());
      return node.has("sub_code") ? node.get("sub_code").asText() : null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
