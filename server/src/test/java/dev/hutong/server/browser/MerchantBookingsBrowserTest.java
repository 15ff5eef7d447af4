package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The merchant portal's booking screens in real Chromium, with the demo seed's merchants: the
 * cinema's owner logs into /merchant, adds a showtime (a mistyped price is refused with the
 * server's message and nothing is added), a user books a seat on it in the shell and pays with
 * the PIN, the owner sees the booking confirmed (customer masked) and marks it attended; its
 * removal is refused with the count of bookings, an unbooked showtime is removed; the
 * agency's owner confirms a tenant's move-in and the deposit leaves escrow (balances checked),
 * then withdraws the listing (gone from the app's list) and re-lists it.
 */
@Tag("browser")
class MerchantBookingsBrowserTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final String STUDIO = "Bright studio near Houhai"; // deposit ¥2,000.00
  static ServerFixture server;
  static JsonNode seed;

  @BeforeAll
  static void start() throws Exception {
    server = BookingApps.seededServer("bookmerch_browser");
    seed = MAPPER.readTree(Files.readString(server.dataDirectory().resolve("demo-seed.json")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode app(String template) {
    for (JsonNode a : seed.path("apps")) {
      if (a.path("template").asText().equals(template)) {
        return a;
      }
    }
    throw new IllegalStateException("no " + template + " in the seed");
  }

  /** Logs the seeded merchant's owner into the portal and opens the Bookings tab. */
  static void openBookings(Browser portal, String template) {
    portal.open(server.baseUrl() + "/merchant");
    portal.type("#li-phone", app(template).path("login").asText());
    portal.type("#li-password", "demo-pass");
    portal.click("#li-submit");
    portal.click("nav button[data-tab=bookings]");
    portal.waitForText("#bk-venue", app(template).path("name").asText());
    portal.find("#bk-venue-panel[data-ready]");
  }

  /**
   * The bookings table's row whose text contains {@code text}, once it has {@code status}:
   * refreshes the list until it shows (the booking jobs confirm a payment within seconds).
   */
  static WebElement row(Browser portal, String text, String status) {
    return new WebDriverWait(portal.driver(), Duration.ofSeconds(20)).until(d -> {
      try {
        portal.click("#bk-refresh");
        portal.waitGone("#bk-list[data-loading]");
        return d.findElements(By.cssSelector("#bk-list tr[data-status='" + status + "']"))
            .stream().filter(r -> r.getText().contains(text)).findFirst().orElse(null);
      } catch (StaleElementReferenceException e) {
        return null; // redrawn meanwhile: look again
      }
    });
  }

  @Test
  void theCinemaAddsAShowtimeAUserBooksItAndTheCinemaMarksItAttended() throws Exception {
    String cinema = app("cinema").path("app_id").asText();
    try (Browser portal = Browser.start(); BookingApps b = new BookingApps(server)) {
      openBookings(portal, "cinema");
      assertThat(portal.text("#bk-halls")).contains("Hall 1").contains("SCREEN");

      String starts = LocalDate.now(ZONE).plusDays(1) + "T10:05";
      portal.type("#st-film", "Midnight in the Hutong");
      portal.type("#st-minutes", "101");
      portal.driver().executeScript("arguments[0].value = arguments[1]",
          portal.find("#st-starts"), starts);
      new Select(portal.find("#st-hall")).selectByVisibleText("Hall 2");
      portal.type("#st-prices input[data-class=S]", "3O.00");
      portal.find("#st-prices input[data-class=S]").sendKeys(Keys.ENTER);
      portal.waitForText("#st-form .form-error", "price of class S is an amount like 45.00");
      assertThat(portal.text("#bk-showtimes")).doesNotContain("Midnight in the Hutong");
      portal.find("#st-prices input[data-class=S]").clear();
      portal.type("#st-prices input[data-class=S]", "30.00");
      portal.find("#st-prices input[data-class=S]").sendKeys(Keys.ENTER);
      portal.waitForText("#bk-showtimes", "Midnight in the Hutong");
      String showtime = showtimeId(cinema, "Midnight in the Hutong");

      b.shell.signUp();
      b.shell.topUp("200.00", "200.00");
      b.launch(cinema);
      b.waitFor("[data-showtime='" + showtime + "']").click();
      b.inApp("button.seat[data-seat='B2']").click();
      b.waitFor("#go").click();
      assertThat(b.cashierOpened()).contains("30.00");
      b.payInCashier(ShellPages.PIN);
      assertThat(b.inApp("[data-ticket] svg")).isNotNull();
      assertThat(b.balance()).isEqualTo("170.00");

      new Select(portal.find("#bk-status")).selectByValue("CONFIRMED");
      WebElement booked = row(portal, "Midnight in the Hutong", "CONFIRMED");
      assertThat(booked.getText()).contains("B2").contains("¥30.00").contains("****");
      booked.findElement(By.cssSelector("button.bk-complete")).click();
      new Select(portal.find("#bk-status")).selectByValue("COMPLETED");
      assertThat(row(portal, "Midnight in the Hutong", "COMPLETED").getText())
          .contains("COMPLETED");
      assertThat(b.balance()).isEqualTo("170.00");
      new Select(portal.find("#bk-status")).selectByValue("");
      removeShowtimes(portal, cinema);
      screenshot(portal);
    }
  }

  @Test
  void theAgencyConfirmsAMoveInAndTheDepositLeavesEscrow() throws Exception {
    JsonNode agency = app("property");
    try (Browser portal = Browser.start(); BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.shell.topUp("5000.00", "5000.00");
      b.launch(agency.path("app_id").asText());
      b.waitFor("[data-listing='" + STUDIO + "']").click();
      b.inApp("#pay-deposit").click();
      assertThat(b.cashierOpened()).isEqualTo("¥2000.00");
      b.payInCashier(ShellPages.PIN);
      b.inApp("[data-escrow='PENDING']");
      assertThat(b.balance()).isEqualTo("3000.00");
      JsonNode held = merchantBalance(agency.path("merchant_id").asText());
      assertThat(held.path("pending").asText()).isNotEqualTo("0.00");

      openBookings(portal, "property");
      assertThat(portal.text("#pr-listings")).contains(STUDIO).contains("(held)");
      WebElement deposit = row(portal, STUDIO, "CONFIRMED");
      assertThat(deposit.getText()).contains("deposit pending").contains("¥2000.00");
      deposit.findElement(By.cssSelector("button.bk-move-in")).click();
      portal.driver().switchTo().alert().accept();
      assertThat(row(portal, STUDIO, "COMPLETED").getText()).contains("deposit posted");

      JsonNode released = merchantBalance(agency.path("merchant_id").asText());
      assertThat(released.path("pending").asText()).isEqualTo("0.00");
      assertThat(released.path("balance").asText()).isEqualTo(held.path("balance").asText());
      assertThat(b.balance()).isEqualTo("3000.00");
      withdrawAndRelist(portal, agency.path("app_id").asText());
    }
  }

  /** The studio withdrawn in the portal: gone from the app's list; re-listed: back. */
  static void withdrawAndRelist(Browser portal, String agencyApp) throws Exception {
    String path = "/api/booking/" + agencyApp + "/listings";
    assertThat(get(path, null).findValuesAsText("title")).contains(STUDIO);
    listingRow(portal, "false").findElement(By.cssSelector("button.pr-withdraw")).click();
    accept(portal);
    assertThat(listingRow(portal, "true").getText()).contains(STUDIO + " (withdrawn)");
    assertThat(get(path, null).findValuesAsText("title")).doesNotContain(STUDIO);
    listingRow(portal, "true").findElement(By.cssSelector("button.pr-relist")).click();
    listingRow(portal, "false");
    assertThat(get(path, null).findValuesAsText("title")).contains(STUDIO);
  }

  /** The studio's row in the portal's listings once its withdrawn flag is {@code withdrawn}. */
  static WebElement listingRow(Browser portal, String withdrawn) {
    return new WebDriverWait(portal.driver(), Duration.ofSeconds(10)).until(d -> {
      try {
        return d.findElements(By.cssSelector("#pr-listings tr[data-withdrawn='" + withdrawn
            + "']")).stream().filter(r -> r.getText().contains(STUDIO)).findFirst().orElse(null);
      } catch (StaleElementReferenceException e) {
        return null; // redrawn meanwhile: look again
      }
    });
  }

  /**
   * The booked showtime's removal is refused with the server's count; an unbooked one is removed
   * from the portal's list and from the app's.
   */
  static void removeShowtimes(Browser portal, String cinema) throws Exception {
    String booked = showtimeId(cinema, "Midnight in the Hutong");
    portal.find("#bk-showtimes tr[data-showtime='" + booked + "'] button.st-remove").click();
    accept(portal);
    portal.waitForText("#st-error", "1 booking holds seats on this showtime; cancel it first");
    assertThat(showtimeId(cinema, "Midnight in the Hutong")).isEqualTo(booked);
    WebElement other = portal.find("#bk-showtimes tr[data-showtime]:not([data-showtime='"
        + booked + "'])");
    String unbooked = other.getAttribute("data-showtime");
    other.findElement(By.cssSelector("button.st-remove")).click();
    accept(portal);
    new WebDriverWait(portal.driver(), Duration.ofSeconds(10)).until(d -> d.findElements(
        By.cssSelector("#bk-showtimes tr[data-showtime='" + unbooked + "']")).isEmpty());
    assertThat(portal.driver().findElement(By.cssSelector("#st-error")).getText()).isEmpty();
    assertThat(get("/api/booking/" + cinema + "/showtimes?days=7", null).findValuesAsText("id"))
        .doesNotContain(unbooked).contains(booked);
  }

  /** Accepts the page's confirm() dialog. */
  static void accept(Browser portal) {
    new WebDriverWait(portal.driver(), Duration.ofSeconds(5))
        .until(ExpectedConditions.alertIsPresent()).accept();
  }

  static String showtimeId(String cinema, String film) throws Exception {
    for (JsonNode s : get("/api/booking/" + cinema + "/showtimes?days=7", null)) {
      if (s.path("film").asText().equals(film)) {
        return s.path("id").asText();
      }
    }
    throw new AssertionError("the app does not offer " + film);
  }

  static JsonNode merchantBalance(String merchantId) throws Exception {
    return get("/admin/merchants/" + merchantId + "/balance",
        Files.readString(server.server().operatorTokenFile()).trim());
  }

  static JsonNode get(String path, String bearer) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    if (bearer != null) {
      req.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(req.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  /** docs/screenshots/merchant-bookings.png, when asked for (-Dhutong.screenshots.dir=DIR). */
  static void screenshot(Browser portal) {
    String dir = System.getProperty("hutong.screenshots.dir");
    if (dir != null) {
      // A desk's screen, not a phone's: the portal is used at the counter.
      portal.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
          "width", 1100, "height", 760, "deviceScaleFactor", 1, "mobile", false));
      portal.click("#bk-refresh");
      portal.waitGone("#bk-list[data-loading]");
      portal.driver().executeScript("window.scrollTo(0, 0)");
      portal.screenshot(Path.of(dir, "merchant-bookings.png"));
    }
  }
}
