package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seeded cinema in real Chromium: found with the Home search box → showtimes → seat map → hold with countdown → the shell's
 * cashier with the PIN → confirmed → e-ticket with its QR; the wallet charged exactly once.
 */
@Tag("browser")
class CinemaBrowserTest {
  static ServerFixture server;
  static String cinema;

  @BeforeAll
  static void start() {
    server = BookingApps.seededServer("cinemabrowser");
    cinema = BookingApps.appId(server, "cinema");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pickSeatsHoldPayWithThePinAndGetTheTicket() {
    try (BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.shell.topUp("500.00", "500.00");
      // found the way a person finds it: "电影" (film) is a synonym of the cinema's keywords
      assertThat(b.findAndOpen("电影", cinema)).contains("Red Star Cinema");
      b.waitFor("[data-showtime]:not([disabled])").click();
      b.inApp("button.seat[data-seat='C7']").click();
      b.waitFor("button.seat[data-seat='C8']").click();
      assertThat(b.waitFor("#total").getText()).isEqualTo("¥90.00");
      b.waitFor("#go").click();
      assertThat(b.cashierOpened()).contains("90.00");
      // The hold is placed before the cashier opens: its countdown runs in the app.
      assertThat(b.inApp("#countdown").getText()).matches("1[45]:\\d\\d");
      b.payInCashier(ShellPages.PIN);
      assertThat(b.inApp("[data-ticket] svg")).isNotNull();
      assertThat(b.waitFor("#ticket").getText()).contains("Confirmed").contains("¥90.00")
          .contains("C7, C8");
      assertThat(b.balance()).isEqualTo("410.00");
      // "All my tickets" switches to the Tickets tab (my.switchTab), which lists the ticket.
      b.inApp("#all-tickets").click();
      assertThat(b.inApp("#list .card").getText()).contains("¥90.00");
    }
  }
}
