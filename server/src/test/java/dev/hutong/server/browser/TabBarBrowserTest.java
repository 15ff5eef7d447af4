package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The app.json tabBar drawn by the runtime, on the seeded cinema (tabs "Films" and "Tickets" with
 * icons): the current tab is marked and shows its active icon, a tap switches tabs, a page opened
 * over a tab has no bar, and my.switchTab closes every page and opens the tab page alone; the
 * bridge refuses navigateTo to a tab page, switchTab to another page or with a query.
 */
@Tag("browser")
class TabBarBrowserTest {
  static final String FILMS = "pages/index/index";
  static final String TICKETS = "pages/mine/mine";
  static ServerFixture server;
  static String cinema;

  @BeforeAll
  static void start() {
    server = BookingApps.seededServer("tabbarbrowser");
    cinema = BookingApps.appId(server, "cinema");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String tab(String page) {
    return ".hm-tabbar .hm-tab[data-page='" + page + "']";
  }

  /** In the shell: waits until {@code page}'s tab is the selected one; returns the tab. */
  static WebElement selected(BookingApps b, String page) {
    b.driver.switchTo().defaultContent();
    return b.browser.find(tab(page) + "[aria-selected=true]");
  }

  static String iconOf(BookingApps b, String page) {
    return b.browser.find(tab(page) + " img.hm-tab-icon").getAttribute("src");
  }

  /** The icon was loaded (the shell's CSP lets it come from the app's origin). */
  static boolean iconLoaded(BookingApps b, String page) {
    Object width = b.driver.executeScript("return arguments[0].naturalWidth",
        b.browser.find(tab(page) + " img.hm-tab-icon"));
    return ((Number) width).intValue() > 0;
  }

  static int frames(BookingApps b) {
    b.driver.switchTo().defaultContent();
    return b.browser.all("iframe.hm-frame").size();
  }

  /** Waits for the Tickets page to have loaded the user's (no) tickets. */
  static void noTicketsYet(BookingApps b) {
    // The tab page replaces the frames: an element found just before that goes stale; look again.
    b.wait.until(d -> {
      try {
        return b.inApp("#list .empty").getText().equals("No tickets yet.");
      } catch (StaleElementReferenceException replaced) {
        return false;
      }
    });
  }

  /** Calls {@code my.<method>(payload)} in the app's top page; answers "ok" or "error: message". */
  static String call(BookingApps b, String method, String url) {
    b.inApp("body");
    return String.valueOf(b.driver.executeAsyncScript("const done = arguments[2];"
        + "my[arguments[0]]({url: arguments[1]}).then(() => done('ok'),"
        + " e => done(e.error + ': ' + e.errorMessage));", method, url));
  }

  @Test
  void tabsSwitchPagesOverATabHideTheBarAndSwitchTabClosesThem() {
    try (BookingApps b = new BookingApps(server)) {
      b.shell.signUp();
      b.findAndOpen("Red Star", cinema);
      b.inApp("[data-showtime]");
      WebElement films = selected(b, FILMS);
      assertThat(b.browser.text(".hm-tabbar")).contains("Films").contains("Tickets");
      assertThat(films.getAttribute("style")).contains("rgb(192, 57, 43)"); // selectedColor
      assertThat(iconOf(b, FILMS)).endsWith("/img/tab-films-on.svg");
      assertThat(iconOf(b, TICKETS)).endsWith("/img/tab-tickets.svg");
      b.wait.until(d -> iconLoaded(b, FILMS) && iconLoaded(b, TICKETS));
      b.browser.screenshot(Path.of("target/screenshots/tabbar.png"));

      // A tap on "Tickets" opens that tab page alone.
      b.browser.click(tab(TICKETS));
      noTicketsYet(b);
      selected(b, TICKETS);
      assertThat(iconOf(b, TICKETS)).endsWith("/img/tab-tickets-on.svg");
      assertThat(iconOf(b, FILMS)).endsWith("/img/tab-films.svg");
      assertThat(frames(b)).isEqualTo(1);

      // Back to "Films", then a showtime: the seat map is opened over the tab, without the bar.
      b.browser.click(tab(FILMS));
      b.inApp("[data-showtime]:not([disabled])").click();
      b.inApp("button.seat");
      b.driver.switchTo().defaultContent();
      b.browser.waitGone(".hm-tabbar");
      assertThat(frames(b)).isEqualTo(2);

      assertThat(call(b, "navigateTo", TICKETS)).startsWith("2: ").contains("my.switchTab");
      assertThat(call(b, "redirectTo", TICKETS)).startsWith("2: ").contains("my.switchTab");
      assertThat(call(b, "switchTab", "pages/seats/seats")).startsWith("2: ")
          .contains("not a page of app.json \"tabBar\"");
      assertThat(call(b, "switchTab", TICKETS + "?from=seats")).startsWith("2: ")
          .contains("without a query");
      assertThat(frames(b)).isEqualTo(2);

      // my.switchTab from the seat map: both pages closed, the Tickets tab alone.
      b.inApp("button.seat");
      // Called after the script returns: the call closes the very frame the script runs in.
      b.driver.executeScript("setTimeout(() => my.switchTab({url: '/" + TICKETS + "'}), 0);");
      noTicketsYet(b);
      selected(b, TICKETS);
      assertThat(frames(b)).isEqualTo(1);

      // One page on the stack: the back button closes the app.
      b.browser.click(".hm-back");
      b.browser.waitGone(".hm-app");
      List<WebElement> left = b.driver.findElements(By.cssSelector(".hm-tabbar"));
      assertThat(left).isEmpty();
    }
  }
}
