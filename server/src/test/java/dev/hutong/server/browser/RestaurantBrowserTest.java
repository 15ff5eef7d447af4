package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seeded restaurant in real Chromium: found with the Home search box; tomorrow, four guests, a free time → the prepayment
 * (¥20 a guest) in the shell's cashier with the PIN → the booking card → cancelled (free until 24
 * hours before) and the prepayment refunded.
 */
@Tag("browser")
class RestaurantBrowserTest {
  static ServerFixture server;
  static String restaurant;

  @BeforeAll
  static void start() {
    server = BookingApps.seededServer("restaurantbrowser");
    restaurant = BookingApps.appId(server, "restaurant");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bookATableWithPrepaymentThenCancelForARefund() {
    try (BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.shell.topUp("300.00", "300.00");
      // "面馆" (noodle shop) is a synonym of the noodle shop's keyword "noodles"
      assertThat(b.findAndOpen("面馆", restaurant)).contains("Lao Wang Noodles");
      b.waitFor("#days [data-day]:nth-child(3)").click();
      b.waitFor("#more").click();
      b.waitFor("#more").click();
      b.wait.until(d -> b.waitFor("#party").getText().equals("4"));
      // the times reload after each party change: click one of the list for four guests
      b.wait.until(d -> {
        b.click("#slots [data-time]:not([disabled])");
        return b.waitFor("#book").getText().equals("Book and prepay ¥80.00");
      });
      b.waitFor("#book").click();
      assertThat(b.cashierOpened()).contains("80.00");
      b.payInCashier(ShellPages.PIN);
      assertThat(b.inApp("#card .badge-confirmed").getText()).isEqualTo("Confirmed");
      assertThat(b.waitFor("#card").getText()).contains("4");
      assertThat(b.balance()).isEqualTo("220.00");

      b.inApp("#cancel").click();
      b.driver.switchTo().defaultContent();
      b.waitFor(".hm-modal .hm-confirm, .hm-confirm").click();
      assertThat(b.inApp("#card .badge-cancelled").getText()).isEqualTo("Cancelled");
      b.wait.until(d -> b.balance().equals("300.00"));
    }
  }
}
