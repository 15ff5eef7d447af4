package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradePayResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Pools;
import dev.hutong.db.TestDatabases;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.pay.PayInvariants;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merchant's whole journey through the real server, with the official Alipay SDK as its back
 * end: operator set-up through the admin API, a payment-code payment, a trade paid in the
 * cashier with its notification (delivered after the merchant's endpoint failed twice, verified
 * with rsaCheckV1), query, refund and refund query, balances and the money invariants.
 */
@Tag("db")
class GatewayEndToEndTest {
  private static final String PIN = "135790";
  /** 4 min become 240 ms, 10 min 600 ms. */
  private static final double SCHEDULE_SCALE = 0.001;
  private static final int MERCHANT_FAILURES = 2;

  @TempDir static Path data;
  private static String databaseUrl;
  private static HutongServer server;
  private static MerchantEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    AlipayLogger.setNeedEnableLogger(false);
    databaseUrl = TestDatabases.createDatabase("e2e");
    server = HutongServer.start(new ServerConfig(0, data, Optional.of(databaseUrl), false,
        Optional.empty(), SCHEDULE_SCALE));
    endpoint = new MerchantEndpoint(MERCHANT_FAILURES);
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    server.close();
  }

  @Test
  void payByCodeCreateAndCashierNotifyQueryRefund() throws Exception {
    AdminApi admin = new AdminApi(server.port(), data);
    String merchant = admin.merchant("Noodle Bar", "0.006");
    KeyPair appKeys = KeyPairs.generateRsa2048();
    AdminApi.App app = admin.app(merchant, KeyPairs.publicKeyBase64(appKeys.getPublic()),
        endpoint.url());
    endpoint.platformPublicKey(app.platformPublicKey());
    String user = admin.user("13900000001", PIN, "100.00");
    DefaultAlipayClient sdk = new DefaultAlipayClient(
        "http://127.0.0.1:" + server.port() + "/gateway.do", app.appId(),
        KeyPairs.privateKeyBase64(appKeys.getPrivate()), "json", "UTF-8",
        app.platformPublicKey(), "RSA2");

    // The merchant scans the user's payment code.
    AlipayTradePayRequest pay = new AlipayTradePayRequest();
    pay.setBizContent("{\"out_trade_no\":\"e2e-pay-1\",\"scene\":\"bar_code\",\"auth_code\":\""
        + admin.paymentCode(user) + "\",\"total_amount\":\"12.34\",\"subject\":\"Tea\"}");
    AlipayTradePayResponse paid = sdk.execute(pay);
    assertThat(paid.isSuccess()).as(paid.getBody()).isTrue();
    assertThat(paid.getTotalAmount()).isEqualTo("12.34");

    // A trade for this buyer, paid in the cashier with the PIN.
    AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
    create.setBizContent("{\"out_trade_no\":\"e2e-create-1\",\"total_amount\":\"25.00\","
        + "\"subject\":\"Noodles\",\"buyer_id\":\"" + user + "\"}");
    AlipayTradeCreateResponse created = sdk.execute(create);
    assertThat(created.isSuccess()).as(created.getBody()).isTrue();
    String tradeNo = created.getTradeNo();
    assertThat(admin.cashierPay(tradeNo, user, PIN).toString())
        .isEqualTo("{\"result_code\":\"9000\",\"trade_no\":\"" + tradeNo + "\"}");
    // Paying again is the same success, no money moves.
    assertThat(admin.cashierPay(tradeNo, user, PIN).path("result_code").asText())
        .isEqualTo("9000");

    assertThat(status(sdk, "e2e-pay-1")).isEqualTo("TRADE_SUCCESS");
    assertThat(status(sdk, "e2e-create-1")).isEqualTo("TRADE_SUCCESS");

    AlipayTradeRefundRequest refund = new AlipayTradeRefundRequest();
    refund.setBizContent("{\"trade_no\":\"" + tradeNo + "\",\"refund_amount\":\"5.00\","
        + "\"out_request_no\":\"r1\"}");
    AlipayTradeRefundResponse refunded = sdk.execute(refund);
    assertThat(refunded.isSuccess()).as(refunded.getBody()).isTrue();
    assertThat(refunded.getRefundFee()).isEqualTo("5.00");
    AlipayTradeRefundResponse again = sdk.execute(refund);
    assertThat(again.isSuccess()).isTrue();
    assertThat(again.getRefundFee()).isEqualTo("5.00");

    AlipayTradeFastpayRefundQueryRequest refundQuery = new AlipayTradeFastpayRefundQueryRequest();
    refundQuery.setBizContent("{\"trade_no\":\"" + tradeNo + "\",\"out_request_no\":\"r1\"}");
    AlipayTradeFastpayRefundQueryResponse refundState = sdk.execute(refundQuery);
    assertThat(refundState.isSuccess()).as(refundState.getBody()).isTrue();
    assertThat(refundState.getRefundStatus()).isEqualTo("REFUND_SUCCESS");
    assertThat(refundState.getRefundAmount()).isEqualTo("5.00");

    // Three notifications (two payments, one refund), each delivered on its third attempt.
    awaitTrue(() -> endpoint.delivered().size() == 3, Duration.ofSeconds(30));
    assertThat(endpoint.deliveries()).allMatch(MerchantEndpoint.Delivery::verified);
    assertThat(endpoint.deliveries()).hasSize(3 * (MERCHANT_FAILURES + 1));
    Map<String, String> cashierPaid = endpoint.delivered().values().stream()
        .filter(f -> tradeNo.equals(f.get("trade_no")) && f.get("refund_fee") == null)
        .findFirst().orElseThrow();
    assertThat(cashierPaid).containsEntry("trade_status", "TRADE_SUCCESS")
        .containsEntry("out_trade_no", "e2e-create-1").containsEntry("total_amount", "25.00")
        .containsEntry("app_id", app.appId()).containsEntry("sign_type", "RSA2");

    // 100.00 - 12.34 - 25.00 + 5.00; the merchant pays 0.07 + 0.15 in fees, 0.03 of it back.
    assertThat(admin.userBalance(user)).isEqualTo("67.66");
    assertThat(admin.merchantBalance(merchant).toString())
        .isEqualTo("{\"balance\":\"32.15\",\"pending\":\"0.00\"}");

    try (HikariDataSource ds = Pools.open(databaseUrl, "e2e-check", 2)) {
      assertThat(LedgerInvariants.violations(ds)).isEmpty();
      assertThat(PayInvariants.violations(ds)).isEmpty();
    }
  }

  @Test
  void theGatewayAnswersItsOwnErrorsOverHttpNeverA500() throws Exception {
    String url = "/gateway.do";
    Http.Response empty = Http.send(server.port(), java.net.http.HttpRequest.newBuilder(
        Http.uri(server.port(), url)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body()).contains("\"sub_code\":\"isv.missing-app-id\"");

    byte[] huge = new byte[(1 << 20) + 10];
    java.util.Arrays.fill(huge, (byte) 'a');
    Http.Response tooLarge = Http.send(server.port(), java.net.http.HttpRequest.newBuilder(
        Http.uri(server.port(), url)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(huge)));
    assertThat(tooLarge.status()).isEqualTo(200);
    assertThat(tooLarge.body()).contains("isv.invalid-parameter");

    Http.Response put = Http.send(server.port(), java.net.http.HttpRequest.newBuilder(
        Http.uri(server.port(), url + "?app_id=1")).PUT(
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body()).contains("isv.invalid-parameter");
  }

  private static String status(DefaultAlipayClient sdk, String outTradeNo) throws Exception {
    AlipayTradeQueryRequest query = new AlipayTradeQueryRequest();
    query.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\"}");
    AlipayTradeQueryResponse response = sdk.execute(query);
    assertThat(response.isSuccess()).as(response.getBody()).isTrue();
    return response.getTradeStatus();
  }

  static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not true within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
