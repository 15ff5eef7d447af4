package dev.hutong.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.NoodleShop;
import dev.hutong.identity.User;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.OutboundNotification;
import dev.hutong.pay.TradeRef;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs the documented merchant example (com.example.shop.NoodleShop) against the gateway. */
@Tag("db")
class SdkExampleTest {
  static OpenApiFixture f;

  @BeforeAll
  static void start() {
    f = new OpenApiFixture("openapi_example");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void theDocumentedExampleCreatesQueriesRefundsAndVerifiesANotification() throws Exception {
    App app = f.app(Keys.APP_A, SignType.RSA2);
    User buyer = f.user(100_00);
    String openId = f.openIds.openIdFor(app.appId(), buyer.id());
    NoodleShop shop = new NoodleShop(f.url(), app.appId(), Keys.privateText(app.keys()),
        Keys.platformPublic());

    String tradeNo = shop.createTrade("order-1001", "36.00", openId);
    assertThat(shop.tradeStatus("order-1001")).isEqualTo("WAIT_BUYER_PAY");
    f.cashier.confirm(buyer.id(), tradeNo, OpenApiFixture.PIN); // the user pays in the shell
    assertThat(shop.tradeStatus("order-1001")).isEqualTo("TRADE_SUCCESS");
    assertThat(shop.refund("order-1001", "18.00", "refund-1")).isEqualTo("18.00");
    assertThat(shop.refund("order-1001", "18.00", "refund-1")).isEqualTo("18.00");
    assertThat(f.balance(buyer)).isEqualTo(100_00 - 18_00);

    // The payment's notification, as the server's transport would POST it.
    Map<String, String> fields = storedNotification(tradeNo + ":paid");
    OutboundNotification n = new OutboundNotification(java.util.UUID.randomUUID(),
        fields.get("notify_id"), app.appId(), tradeNo, "https://shop.example.com/alipay/notify", 1,
        fields);
    SignedForm form = f.platform.signNotification(n);
    Map<String, String> received = decode(form);
    assertThat(received).containsEntry("out_trade_no", "order-1001")
        .containsEntry("trade_status", "TRADE_SUCCESS").containsEntry("buyer_open_id", openId);
    assertThat(shop.onNotification(received)).isEqualTo("success");
    received.put("total_amount", "0.01");
    assertThat(shop.onNotification(received)).isEqualTo("fail");
    assertThat(f.trades.query(TradeRef.byOutTradeNo(app.appId(), "order-1001")).notifyUrl())
        .isEqualTo("https://shop.example.com/alipay/notify");
    f.assertInvariants();
  }

  static Map<String, String> storedNotification(String eventKey) {
    String form = f.jdbi.withHandle(h -> h.createQuery("SELECT fields FROM pay_notification"
            + " WHERE event_key = :k").bind("k", eventKey).mapTo(String.class).one());
    Map<String, String> fields = new HashMap<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      fields.put(URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    fields.put("notify_time", "2026-01-01 12:00:00");
    return fields;
  }

  /** What a merchant's web framework hands its handler: the form decoded in its charset. */
  static Map<String, String> decode(SignedForm form) {
    String contentType = form.contentType();
    Charset charset = Charset.forName(contentType.substring(contentType.indexOf("charset=") + 8));
    Map<String, String> fields = new HashMap<>();
    for (String pair : new String(form.body(), charset).split("&")) {
      int eq = pair.indexOf('=');
      fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), charset));
    }
    return fields;
  }
}
