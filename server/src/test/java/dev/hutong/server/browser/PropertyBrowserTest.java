package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The seeded estate agency in real Chromium: found with the Home search box, a listing, a free viewing booked, then the holding
 * deposit paid in the shell's cashier with the PIN (the page never asks for it); withdrawn (the
 * whole deposit back), paid again and released to the agency on its move-in confirmation; the
 * tenant's wallet checked at every step.
 */
@Tag("browser")
class PropertyBrowserTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String STUDIO = "Bright studio near Houhai"; // deposit ¥2,000.00
  static ServerFixture server;
  static String agency;

  @BeforeAll
  static void start() {
    server = BookingApps.seededServer("propertybrowser");
    agency = BookingApps.appId(server, "property");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void viewingThenDepositWithdrawnThenPaidAgainAndMovedIn() throws Exception {
    try (BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.shell.topUp("5000.00", "5000.00");
      assertThat(b.findAndOpen("apartment", agency)).contains("Hutong Homes");
      b.waitFor("[data-listing='" + STUDIO + "']").click();
      String slot = b.inApp("[data-slot]").getAttribute("data-slot");
      b.waitFor("[data-slot='" + slot + "']").click();
      b.toastAfterConsent();
      b.intoApp();
      b.wait.until(d -> d.findElements(By.cssSelector("[data-slot='" + slot + "']")).isEmpty());
      assertThat(b.driver.findElements(By.cssSelector("input[type=password]"))).isEmpty();

      b.waitFor("#pay-deposit").click();
      assertThat(b.cashierOpened()).isEqualTo("¥2000.00");
      b.payInCashier(ShellPages.PIN);
      assertThat(b.inApp("[data-escrow='PENDING']").getText()).contains("escrow");
      assertThat(b.balance()).isEqualTo("3000.00");

      b.inApp("#withdraw-deposit").click();
      b.inApp("#pay-deposit");
      assertThat(b.balance()).isEqualTo("5000.00");

      b.inApp("#pay-deposit").click();
      b.cashierOpened();
      b.payInCashier(ShellPages.PIN);
      b.inApp("[data-escrow='PENDING']");
      assertThat(b.balance()).isEqualTo("3000.00");

      JsonNode deposit = null;
      for (JsonNode r : merchant("GET", "/reservations")) {
        if (r.path("kind").asText().equals("DEPOSIT") && r.path("status").asText()
            .equals("CONFIRMED")) {
          deposit = r;
        }
      }
      assertThat(deposit).isNotNull();
      JsonNode moved = merchant("POST", "/reservations/" + deposit.path("id").asText()
          + "/move-in");
      assertThat(moved.path("deposit_status").asText()).isEqualTo("POSTED");
      b.closeApp();
      b.findAndOpen("Hutong Homes", agency);
      b.waitFor("[data-listing='" + STUDIO + "']").click();
      assertThat(b.inApp("[data-escrow='POSTED']").getText()).contains("moved in");
      assertThat(b.balance()).isEqualTo("3000.00");
    }
  }

  /**
   * The agency's side of the booking API with the operator's token (the admin credential); the
   * portal's staff sessions are exercised by MerchantBookingsBrowserTest.
   */
  static JsonNode merchant(String method, String path) throws Exception {
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/api/booking/merchant/" + agency + path)).header("Authorization", "Bearer " + token);
    req = method.equals("GET") ? req.GET() : req.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    HttpResponse<String> r = HttpClient.newHttpClient().send(req.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    return MAPPER.readTree(r.body());
  }
}
