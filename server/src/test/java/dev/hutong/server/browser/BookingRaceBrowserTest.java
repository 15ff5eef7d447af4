package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two browsers, two users, one seat: both pick it on the seat map; the first to hold it pays;
 * the second is told it was taken, never sees the cashier and is charged nothing.
 */
@Tag("browser")
class BookingRaceBrowserTest {
  static ServerFixture server;
  static String cinema;

  @BeforeAll
  static void start() {
    server = BookingApps.seededServer("bookingrace");
    cinema = BookingApps.appId(server, "cinema");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void twoBrowsersRaceForOneSeatAndOnlyTheWinnerPays() {
    try (BookingApps first = new BookingApps(server); BookingApps second = new BookingApps(server)) {
      for (BookingApps b : new BookingApps[] {first, second}) {
        b.shell.signUp();
        b.shell.topUp("200.00", "200.00");
        b.launch(cinema);
        b.waitFor("[data-showtime]:not([disabled])").click();
        b.inApp("button.seat[data-seat='D5']").click();
        assertThat(b.waitFor("#total").getText()).isEqualTo("¥45.00");
      }
      first.inApp("#go").click();
      assertThat(first.cashierOpened()).contains("45.00");

      second.inApp("#go").click();
      assertThat(second.toastAfterConsent()).contains("Someone just took one of those seats");
      // The loser's map now shows the seat taken.
      second.wait.until(d -> second.inApp("button.seat[data-seat='D5']")
          .getAttribute("disabled") != null);

      first.payInCashier(ShellPages.PIN);
      assertThat(first.inApp("[data-ticket] svg")).isNotNull();
      assertThat(first.balance()).isEqualTo("155.00");
      assertThat(second.balance()).isEqualTo("200.00");
    }
  }
}
