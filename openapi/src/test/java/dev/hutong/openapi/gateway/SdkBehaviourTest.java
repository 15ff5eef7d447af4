package dev.hutong.openapi.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the official SDK (4.40.734) does with responses the gateway might write: facts the gateway
 * is built on, checked against canned bodies so they stay true if the SDK is upgraded.
 */
class SdkBehaviourTest {
  private static final String NODE = "alipay_trade_query_response";
  private static final String FAILURE = "{\"code\":\"40002\",\"msg\":\"Invalid Arguments\","
      + "\"sub_code\":\"isv.invalid-app-id\",\"sub_msg\":\"无效的AppID参数\"}";
  private static final String SUCCESS = "{\"code\":\"10000\",\"msg\":\"Success\","
      + "\"trade_no\":\"2024\",\"subject\":\"烤鸭\"}";

  private static HttpServer server;
  private static final AtomicReference<String> body = new AtomicReference<>();

  @BeforeAll
  static void start() throws IOException {
    AlipayLogger.setNeedEnableLogger(false);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/gateway.do", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.get().getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    body.set(null);
  }

  private static AlipayTradeQueryResponse execute(String responseBody) throws AlipayApiException {
    body.set(responseBody);
    DefaultAlipayClient client = new DefaultAlipayClient(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do", TestGateway.APP_ID,
        TestKeys.appPrivate(), "json", "UTF-8", TestKeys.platformPublic(), "RSA2");
    AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
    request.setBizContent("{\"out_trade_no\":\"o\"}");
    return client.execute(request);
  }

  private static String sign(String node) {
    return TestKeys.PLATFORM_KEYS.sign(SignType.RSA2, node.getBytes(UTF_8));
  }

  @Test
  void aFailureWithoutSignSurfacesCleanly() throws AlipayApiException {
    AlipayTradeQueryResponse response = execute("{\"" + NODE + "\":" + FAILURE + "}");

    assertThat(response.isSuccess()).isFalse();
    assertThat(response.getSubCode()).isEqualTo("isv.invalid-app-id");
  }

  @Test
  void aFailureWithAWrongSignIsASignatureException() {
    assertThatThrownBy(() -> execute("{\"" + NODE + "\":" + FAILURE + ",\"sign\":\"" + sign("x")
        + "\"}"))
        .isInstanceOf(AlipayApiException.class)
        .hasMessageContaining("sign check fail");
  }

  @Test
  void aSuccessWithoutSignIsRefused() {
    // Without a "sign" member the SDK finds no signed content at all ("content may not be
    // empty"); its checker wraps that AlipayApiException in a RuntimeException, which execute
    // rethrows as is.
    assertThatThrownBy(() -> execute("{\"" + NODE + "\":" + SUCCESS + "}"))
        .isInstanceOf(RuntimeException.class).hasMessageContaining("待验签内容不可为空");
  }

  @Test
  void aSuccessUnderAnotherMethodsNodeIsRefused() {
    // Neither <method>_response nor error_response is in the body, so there is nothing to verify.
    String node = "alipay_trade_pay_response";
    assertThatThrownBy(() -> execute("{\"" + node + "\":" + SUCCESS + ",\"sign\":\""
        + sign(SUCCESS) + "\"}"))
        .isInstanceOf(RuntimeException.class).hasMessageContaining("待验签内容不可为空");
  }

  @Test
  void successIsDecidedBySubCodeAlone() throws AlipayApiException {
    String noSubCode = "{\"code\":\"40004\",\"msg\":\"Business Failed\"}";

    AlipayTradeQueryResponse response = execute("{\"" + NODE + "\":" + noSubCode + ",\"sign\":\""
        + sign(noSubCode) + "\"}");

    assertThat(response.isSuccess()).isTrue();
  }

  @Test
  void theErrorResponseNodeIsTheFallbackForSignedContent() throws AlipayApiException {
    AlipayTradeQueryResponse response = execute("{\"error_response\":" + FAILURE
        + ",\"sign\":\"" + sign(FAILURE) + "\"}");

    assertThat(response.getSubCode()).isEqualTo("isv.invalid-app-id");
  }

  @Test
  void aCorrectlySignedSuccessParses() throws AlipayApiException {
    AlipayTradeQueryResponse response = execute("{\"" + NODE + "\":" + SUCCESS + ",\"sign\":\""
        + sign(SUCCESS) + "\"}");

    assertThat(response.isSuccess()).isTrue();
    assertThat(response.getSubject()).isEqualTo("烤鸭");
  }

  @Test
  void unicodeEscapesWithHexLettersAreDecodedWrongly() throws AlipayApiException {
    // JSONReader.unicode subtracts 'k' (or 'K') from a hex letter instead of adding 10 to its
    // offset from 'a', so é (\u00e9) arrives as another char. Digit-only escapes survive.
    String node = "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"\\u00e9\\u0041\"}";

    AlipayTradeQueryResponse response = execute("{\"" + NODE + "\":" + node + ",\"sign\":\""
        + sign(node) + "\"}");

    assertThat(response.getSubject()).hasSize(2).doesNotStartWith("é").endsWith("A");
  }
}
