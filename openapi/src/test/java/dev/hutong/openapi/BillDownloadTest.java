package dev.hutong.openapi;

import static dev.hutong.openapi.Sdk.assertFailure;
import static dev.hutong.openapi.Sdk.assertSuccess;
import static dev.hutong.openapi.Sdk.biz;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayDataDataserviceBillDownloadurlQueryRequest;
import com.alipay.api.response.AlipayDataDataserviceBillDownloadurlQueryResponse;
import dev.hutong.identity.User;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.pay.Statements;
import dev.hutong.pay.Trade;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * alipay.data.dataservice.bill.downloadurl.query through the official SDK: a signed link to the
 * app's merchant's statement that expires after 30 seconds and can not be altered.
 */
@Tag("db")
class BillDownloadTest {
  static OpenApiFixture f;
  static App app;
  static DefaultAlipayClient client;

  @BeforeAll
  static void start() {
    f = new OpenApiFixture("bill_download");
    app = f.app(Keys.APP_A, SignType.RSA2);
    client = f.client(app, "UTF-8");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static AlipayDataDataserviceBillDownloadurlQueryResponse query(String type, String date) {
    AlipayDataDataserviceBillDownloadurlQueryRequest r =
        new AlipayDataDataserviceBillDownloadurlQueryRequest();
    r.setBizContent(biz("bill_type", type, "bill_date", date));
    return OpenApiFixture.execute(client, r);
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return q;
  }

  @Test
  void yesterdaysStatementComesAsASignedLinkThatExpiresAndCanNotBeAltered() throws Exception {
    User buyer = f.user(100_00);
    f.clock.advance(Duration.ofDays(-1)); // paid yesterday (the SDK's requests use today's time)
    Trade t = f.trades.create(new dev.hutong.pay.CreateTradeRequest(app.appId(),
        app.merchant().id(), "bill-1", 12_50, "Noodles", null, buyer.id(), false, null, null, null,
        null));
    f.cashier.confirm(buyer.id(), t.tradeNo(), OpenApiFixture.PIN);
    LocalDate day = f.clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    f.clock.reset();
    assertFailure(query("trade", day.plusDays(1).toString()), "40004", "isp.bill_not_exist");
    AlipayDataDataserviceBillDownloadurlQueryResponse r = query("trade", day.toString());
    assertSuccess(r);
    URI url = URI.create(r.getBillDownloadUrl());
    assertThat(url.toString()).startsWith(OpenApiFixture.PUBLIC_BASE_URL + BillDownloads.PATH + "?");
    Optional<BillDownloads.Bill> bill = f.platform.billDownloads().verify(query(url));
    assertThat(bill).contains(new BillDownloads.Bill(app.merchant().id(), "trade", day.toString()));
    String csv = new Statements(f.jdbi, f.merchants).day(bill.get().merchantId(), bill.get().day());
    assertThat(csv).contains("PAYMENT,").contains(t.tradeNo()).contains(",12.50,0.08,12.42,");

    Map<String, String> otherDay = query(url);
    otherDay.put("bill_date", day.minusDays(1).toString());
    assertThat(f.platform.billDownloads().verify(otherDay)).isEmpty();
    Map<String, String> otherMerchant = query(url);
    otherMerchant.put("merchant", f.merchant("0").id().toString());
    assertThat(f.platform.billDownloads().verify(otherMerchant)).isEmpty();
    Map<String, String> later = query(url);
    later.put("expires", String.valueOf(Long.parseLong(later.get("expires")) + 3600));
    assertThat(f.platform.billDownloads().verify(later)).isEmpty();
    f.clock.advance(BillDownloads.TTL.plusSeconds(1));
    assertThat(f.platform.billDownloads().verify(query(url))).isEmpty();
    f.clock.reset();
  }

  @Test
  void monthsAndBadArgumentsAnswerAsAlipayDoes() {
    LocalDate today = f.clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    assertSuccess(query("signcustomer", today.minusMonths(1).toString().substring(0, 7)));
    assertFailure(query("trade", today.toString().substring(0, 7)), "40004", "isp.bill_not_exist");
    assertFailure(query("fund", today.minusDays(1).toString()), "40004", "isv.invalid-arguments");
    assertFailure(query("trade", "2026-13-01"), "40004", "isv.invalid-arguments");
    assertFailure(query("trade", "yesterday"), "40004", "isv.invalid-arguments");
    assertFailure(query(null, null), "40004", "isv.invalid-arguments");
  }
}
