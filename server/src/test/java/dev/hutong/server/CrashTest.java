package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during a stream of payments and refunds from the official SDK, then a restart on the
 * same data directory and database. Afterwards every trade the SDK saw succeed is TRADE_SUCCESS,
 * every refund it saw succeed is REFUND_SUCCESS, every notification is delivered (and verified by
 * the merchant), and the ledger and the trades agree.
 */
@Tag("db")
class CrashTest {
  private static final double SCHEDULE_SCALE = 0.001;
  private static final String PIN = "112233";
  private static final int CLIENTS = 3;
  /** Bounds on the stream: operations per client, and the time before the kill. */
  private static final int OPERATIONS_PER_CLIENT_MAX = 400;

  @TempDir Path data;

  /** A paid trade the SDK saw succeed, and the refunds it saw succeed. */
  private record Seen(String tradeNo, List<String> refunds) {}

  @Test
  void everyAcknowledgedPaymentAndRefundSurvivesSigkill() throws Exception {
    AlipayLogger.setNeedEnableLogger(false);
    String databaseUrl = TestDatabases.createDatabase("crash");
    Random random = new Random();
    try (MerchantEndpoint endpoint = new MerchantEndpoint(1)) {
      Process first = CrashableHutong.startChild(data, databaseUrl, "first", SCHEDULE_SCALE);
      int port;
      AdminApi admin;
      KeyPair appKeys = KeyPairs.generateRsa2048();
      AdminApi.App app;
      List<String> users = new ArrayList<>();
      Map<String, Seen> seen = new ConcurrentHashMap<>();
      try {
        port = CrashableHutong.awaitStarted(data, first, "first");
        admin = new AdminApi(port, data);
        String merchant = admin.merchant("Crash Cafe", "0.006");
        app = admin.app(merchant, KeyPairs.publicKeyBase64(appKeys.getPublic()), endpoint.url());
        endpoint.platformPublicKey(app.platformPublicKey());
        for (int i = 0; i < CLIENTS; i++) {
          users.add(admin.user("1370000000" + i, PIN, "1000.00"));
        }
        DefaultAlipayClient sdk = sdk(port, app, appKeys);

        AtomicBoolean serverDown = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          clients.add(Thread.ofPlatform().name("sdk-client-" + c).start(() ->
              stream(client, users.get(client), admin, sdk, seen, serverDown)));
        }
        Thread.sleep(1000 + random.nextInt(2500));
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        serverDown.set(true);
        for (Thread t : clients) {
          t.join(TimeUnit.SECONDS.toMillis(60));
        }
      } finally {
        first.destroyForcibly();
      }
      assertThat(seen).as("the SDK saw payments succeed before the kill").isNotEmpty();

      Process second = CrashableHutong.startChild(data, databaseUrl, "second", SCHEDULE_SCALE);
      try {
        port = CrashableHutong.awaitStarted(data, second, "second");
        DefaultAlipayClient sdk = sdk(port, app, appKeys);
        for (Map.Entry<String, Seen> trade : seen.entrySet()) {
          AlipayTradeQueryRequest query = new AlipayTradeQueryRequest();
          query.setBizContent("{\"out_trade_no\":\"" + trade.getKey() + "\"}");
          AlipayTradeQueryResponse state = sdk.execute(query);
          assertThat(state.getTradeStatus()).as(trade.getKey()).isEqualTo("TRADE_SUCCESS");
          for (String refund : trade.getValue().refunds()) {
            AlipayTradeFastpayRefundQueryRequest refundQuery =
                new AlipayTradeFastpayRefundQueryRequest();
            refundQuery.setBizContent("{\"out_trade_no\":\"" + trade.getKey()
                + "\",\"out_request_no\":\"" + refund + "\"}");
            AlipayTradeFastpayRefundQueryResponse refundState = sdk.execute(refundQuery);
            assertThat(refundState.getRefundStatus()).as(refund).isEqualTo("REFUND_SUCCESS");
          }
        }

        try (HikariDataSource ds = Pools.open(databaseUrl, "crash-check", 2)) {
          Jdbi jdbi = Jdbi.create(ds);
          GatewayEndToEndTest.awaitTrue(() -> jdbi.withHandle(h -> h.createQuery(
                  "SELECT count(*) FROM pay_notification WHERE delivered_at IS NULL")
              .mapTo(Integer.class).one()) == 0, Duration.ofSeconds(60));
          List<String> delivered = jdbi.withHandle(h -> h.createQuery(
              "SELECT event_key FROM pay_notification WHERE delivered_at IS NOT NULL")
              .mapTo(String.class).list());
          for (Seen trade : seen.values()) {
            assertThat(delivered).contains(trade.tradeNo() + ":paid");
            for (String refund : trade.refunds()) {
              assertThat(delivered).contains(trade.tradeNo() + ":refund:" + refund);
            }
          }
          assertThat(endpoint.deliveries()).allMatch(MerchantEndpoint.Delivery::verified);
          assertThat(endpoint.delivered()).hasSize(delivered.size());
          assertThat(LedgerInvariants.violations(ds)).isEmpty();
          assertThat(PayInvariants.violations(ds)).isEmpty();
          System.out.printf("crash test: %d payments and %d refunds acknowledged before the kill;"
              + " %d notifications delivered in %d deliveries; after restart: %s%n", seen.size(),
              seen.values().stream().mapToInt(t -> t.refunds().size()).sum(), delivered.size(),
              endpoint.deliveries().size(), recoveryLine("second"));
        }
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Pays 1.00 by payment code, and every third operation refunds 0.10 of an earlier payment. */
  private static void stream(int client, String user, AdminApi admin, DefaultAlipayClient sdk,
      Map<String, Seen> seen, AtomicBoolean serverDown) {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < OPERATIONS_PER_CLIENT_MAX && !serverDown.get(); i++) {
      try {
        if (i % 3 == 2 && !mine.isEmpty()) {
          String outTradeNo = mine.get(i % mine.size());
          String outRequestNo = "r" + i;
          AlipayTradeRefundRequest refund = new AlipayTradeRefundRequest();
          refund.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"refund_amount\":"
              + "\"0.10\",\"out_request_no\":\"" + outRequestNo + "\"}");
          AlipayTradeRefundResponse refunded = sdk.execute(refund);
          if (refunded.isSuccess()) {
            seen.get(outTradeNo).refunds().add(outRequestNo);
          }
        } else {
          String outTradeNo = "c" + client + "-" + i;
          AlipayTradePayRequest pay = new AlipayTradePayRequest();
          pay.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"scene\":\"bar_code\","
              + "\"auth_code\":\"" + admin.paymentCode(user) + "\",\"total_amount\":\"1.00\","
              + "\"subject\":\"Coffee\"}");
          AlipayTradePayResponse paid = sdk.execute(pay);
          if (paid.isSuccess()) {
            seen.put(outTradeNo, new Seen(paid.getTradeNo(),
                java.util.Collections.synchronizedList(new ArrayList<>())));
            mine.add(outTradeNo);
          }
        }
      } catch (AlipayApiException | RuntimeException e) {
        // The server went away mid-call: the outcome is unknown, so it is not counted.
        return;
      } catch (Exception e) {
        return;
      }
    }
  }

  private static DefaultAlipayClient sdk(int port, AdminApi.App app, KeyPair appKeys) {
    return new DefaultAlipayClient("http://127.0.0.1:" + port + "/gateway.do", app.appId(),
        KeyPairs.privateKeyBase64(appKeys.getPrivate()), "json", "UTF-8",
        app.platformPublicKey(), "RSA2");
  }

  /** What the restarted server's recovery said, if anything. */
  private String recoveryLine(String name) throws Exception {
    Path log = data.resolveSibling(data.getFileName() + "-" + name + ".log");
    return Files.readAllLines(log).stream().filter(l -> l.contains("recovery at start"))
        .findFirst().orElse("nothing to recover");
  }
}
