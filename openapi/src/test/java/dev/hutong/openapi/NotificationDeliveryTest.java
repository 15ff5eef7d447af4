package dev.hutong.openapi;

import static dev.hutong.openapi.Sdk.assertSuccess;
import static dev.hutong.openapi.Sdk.biz;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hutong.identity.User;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.NotificationDispatcher;
import dev.hutong.pay.NotificationTransport;
import dev.hutong.pay.NotifySettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Notifications end to end: pay's dispatcher sends what {@link OpenPlatform#signNotification}
 * signed to a merchant endpoint over HTTP; the endpoint verifies each with the SDK's
 * {@code AlipaySignature.rsaCheckV1}, refuses the first two deliveries of each, and accepts the
 * third. Alipay's schedule is scaled down 3600 times (4 min becomes 67 ms).
 */
@Tag("db")
class NotificationDeliveryTest {
  private static final int REFUSALS = 2;
  static OpenApiFixture f;
  static Receiver receiver;
  static NotificationDispatcher dispatcher;

  /** A merchant's notify endpoint. */
  static final class Receiver implements AutoCloseable {
    record Delivery(Map<String, String> form, String contentType, boolean verified) {}

    final HttpServer server;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/notify", this::receive);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    private void receive(HttpExchange exchange) throws IOException {
      try (exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Charset charset = Charset.forName(contentType.substring(contentType.indexOf("charset=")
            + "charset=".length()));
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), charset)
            .split("&")) {
          int eq = pair.indexOf('=');
          form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), charset));
        }
        boolean verified;
        try {
          verified = AlipaySignature.rsaCheckV1(new HashMap<>(form), Keys.platformPublic(),
              form.get("charset"), form.get("sign_type"));
        } catch (AlipayApiException e) {
          verified = false;
        }
        deliveries.add(new Delivery(form, contentType, verified));
        int attempt = attempts.computeIfAbsent(form.get("notify_id"), k -> new AtomicInteger())
            .incrementAndGet();
        byte[] answer = (verified && attempt > REFUSALS ? "success" : "fail")
            .getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    f = new OpenApiFixture("openapi_notify");
    receiver = new Receiver();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    NotificationTransport transport = n -> {
      SignedForm form = f.platform.signNotification(n);
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(n.notifyUrl()))
          .timeout(Duration.ofSeconds(4))
          .header("Content-Type", form.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("HTTP " + response.statusCode());
      }
      return response.body();
    };
    dispatcher = new NotificationDispatcher(f.jdbi, transport,
        new NotifySettings(1.0 / 3600, 64, 8, 10, 20), f.clock);
    dispatcher.start();
  }

  @AfterAll
  static void stop() {
    dispatcher.close();
    receiver.close();
    f.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"UTF-8, RSA2", "GBK, RSA"})
  void paymentAndRefundNotificationsAreSignedInTheAppsCharsetAndSignTypeAndRetried(
      String charset, SignType signType) throws Exception {
    App app = f.app(signType == SignType.RSA2 ? Keys.APP_A : Keys.APP_B, signType,
        receiver.url());
    DefaultAlipayClient client = f.client(app, charset);
    User buyer = f.user(100_00);
    String out = "n-" + charset + "-" + signType;
    AlipayTradeCreateResponse created = Sdk.create(client, biz("out_trade_no", out,
        "total_amount", "66.60", "subject", "烤鸭 €", "passback_params", "桌号=7"));
    assertSuccess(created);
    f.cashier.confirm(buyer.id(), created.getTradeNo(), OpenApiFixture.PIN);
    assertSuccess(Sdk.refund(client, out, "6.60", "r1"));

    String paid = notifyId(created.getTradeNo() + ":paid");
    String refunded = notifyId(created.getTradeNo() + ":refund:r1");
    awaitDelivered(paid);
    awaitDelivered(refunded);

    List<Receiver.Delivery> mine = receiver.deliveries.stream()
        .filter(d -> out.equals(d.form().get("out_trade_no"))).toList();
    assertThat(mine).hasSize(2 * (REFUSALS + 1)).allSatisfy(d -> {
      assertThat(d.verified()).as("rsaCheckV1 of %s", d.form()).isTrue();
      assertThat(d.contentType()).isEqualTo("application/x-www-form-urlencoded;charset="
          + charset);
      assertThat(d.form()).containsEntry("charset", charset)
          .containsEntry("sign_type", signType.name())
          .containsEntry("app_id", app.appId())
          .containsEntry("trade_no", created.getTradeNo())
          .containsEntry("subject", "烤鸭 €") // Java's GBK is CP936, which has the euro sign
          .containsEntry("passback_params", "桌号=7")
          .containsEntry("total_amount", "66.60")
          .containsKey("notify_time");
      assertThat(d.form().get("buyer_open_id"))
          .isEqualTo(f.openIds.openIdFor(app.appId(), buyer.id()));
    });
    assertThat(mine).filteredOn(d -> d.form().get("notify_id").equals(paid))
        .allSatisfy(d -> assertThat(d.form()).containsEntry("trade_status", "TRADE_SUCCESS")
            .containsEntry("receipt_amount", "66.60"));
    assertThat(mine).filteredOn(d -> d.form().get("notify_id").equals(refunded))
        .allSatisfy(d -> assertThat(d.form()).containsEntry("refund_fee", "6.60")
            .containsEntry("out_biz_no", "r1"));
    f.assertInvariants();
  }

  private static String notifyId(String eventKey) {
    return f.jdbi.withHandle(h -> h.createQuery("SELECT notify_id FROM pay_notification"
        + " WHERE event_key = :k").bind("k", eventKey).mapTo(String.class).one());
  }

  private static void awaitDelivered(String notifyId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      boolean delivered = f.jdbi.withHandle(h -> h.createQuery("SELECT delivered_at IS NOT NULL"
          + " FROM pay_notification WHERE notify_id = :n").bind("n", notifyId)
          .mapTo(Boolean.class).one());
      if (delivered) {
        int attempts = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM"
            + " pay_notification_attempt a JOIN pay_notification n ON n.id = a.notification_id"
            + " WHERE n.notify_id = :n").bind("n", notifyId).mapTo(Integer.class).one());
        assertThat(attempts).isEqualTo(REFUSALS + 1);
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("notification " + notifyId + " was not delivered in 20 s; "
        + "attempts seen: " + receiver.attempts.get(notifyId));
  }
}
