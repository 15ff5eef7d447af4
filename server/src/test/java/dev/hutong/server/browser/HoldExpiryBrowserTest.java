package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.server.TemplatePackages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A hold that runs out in the browser: a cinema whose holds last one minute (the shortest a
 * venue allows); the user holds a seat, closes the cashier without paying, and waits. The seat
 * is free again, the trade is closed (the merchant's query says so) and nothing was charged.
 */
@Tag("browser")
class HoldExpiryBrowserTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static ServerFixture server;
  static Miniapps.MerchantApp cinema;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start("holdexpiry");
    cinema = Miniapps.merchant(server, "Minute Cinema");
    Miniapps.install(server, cinema.appId(), withoutExtSchema(TemplatePackages.zip("cinema",
        List.of(server.baseUrl(), "http://localhost:" + server.port()))));
    merchant("PUT", "/venue", Map.<String, Object>of("kind", "CINEMA", "merchant_id",
        cinema.merchantId(), "name", "Minute Cinema", "hold_minutes", 1));
    String hall = merchant("POST", "/halls", Map.<String, Object>of("name", "Hall 1", "rows",
        List.of("SSSS_SSSS"), "classes", Map.of("S", "Standard"))).path("hall_id").asText();
    merchant("POST", "/showtimes", Map.<String, Object>of("hall_id", hall, "film", "One Minute",
        "minutes", 90, "starts_at", Instant.now().plus(Duration.ofHours(30)).toString(),
        "prices", Map.of("S", "30.00")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anUnpaidHoldExpiresReleasesTheSeatAndClosesTheTrade() throws Exception {
    try (BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.shell.topUp("100.00", "100.00");
      b.launch(cinema.appId());
      b.waitFor("[data-showtime]:not([disabled])").click();
      b.inApp("button.seat[data-seat='A2']").click();
      b.waitFor("#go").click();
      assertThat(b.cashierOpened()).contains("30.00");
      b.driver.findElement(By.cssSelector("[data-testid=cashier] .sheet-close")).click();
      assertThat(b.inApp("button.seat[data-seat='A2']").getAttribute("aria-pressed"))
          .isEqualTo("true");

      // The countdown reaches 0:00 and the page lets the hold go.
      new WebDriverWait(b.driver, Duration.ofSeconds(90)).until(d ->
          b.inApp("#hold").getAttribute("hidden") != null);
      // The jobs close the trade once the hold is over; the merchant's own query sees it.
      DefaultAlipayClient sdk = new DefaultAlipayClient(server.baseUrl() + "/gateway.do",
          cinema.appId(), cinema.appPrivateKey(), "json", "UTF-8", cinema.platformPublicKey(),
          "RSA2");
      new WebDriverWait(b.driver, Duration.ofSeconds(20)).until(d -> {
        try {
          JsonNode held = merchant("GET", "/reservations", null).get(0);
          if (!held.path("status").asText().equals("RELEASED")) {
            return false;
          }
          AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
          q.setBizContent("{\"trade_no\":\"" + held.path("trade_no").asText() + "\"}");
          return "TRADE_CLOSED".equals(sdk.execute(q).getTradeStatus());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(b.balance()).isEqualTo("100.00");
      b.launch(cinema.appId());
      b.waitFor("[data-showtime]:not([disabled])").click();
      assertThat(b.inApp("button.seat[data-seat='A2']").getAttribute("disabled")).isNull();
    }
  }

  /** The template's package as a plain app's (its ext comes from none: the page's defaults). */
  static byte[] withoutExtSchema(byte[] zip) throws java.io.IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
        var to = new java.util.zip.ZipOutputStream(out)) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (!e.getName().equals("ext.schema.json")) {
          to.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
          to.write(in.readAllBytes());
          to.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  static JsonNode merchant(String method, String path, Map<String, Object> body)
      throws Exception {
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/api/booking/merchant/" + cinema.appId() + path)).header("Authorization",
        "Bearer " + token);
    req = body == null ? req.GET() : req.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
    HttpResponse<String> r = HttpClient.newHttpClient().send(req.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isLessThan(300);
    return MAPPER.readTree(r.body());
  }
}
