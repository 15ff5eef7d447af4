package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A merchant's mini-program from a template, in two headless Chromiums against a real server:
 * the merchant onboards, fills the form the restaurant template's ext schema renders (a wrong
 * colour first: the server's message appears next to that field), saves and submits; an
 * operator sees the instance's ext changes in the console and rejects it with a reason; the
 * merchant sees the reason, fixes the name and resubmits; the operator approves, the
 * mini-program goes online and a shell user finds it by search.
 */
@Tag("db")
@Tag("browser")
class MiniProgramReviewBrowserTest {
  static ServerFixture server;
  static Browser merchant;
  static Browser other;

  @BeforeAll
  static void start() {
    server = ServerFixture.start("miniprogramreview");
    server.template("restaurant");
    merchant = Browser.start();
    other = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (merchant != null) {
      merchant.close();
    }
    if (other != null) {
      other.close();
    }
    server.close();
  }

  /**
   * Clicks through the DOM once the element is clickable: the long form reaches below the
   * emulated phone screen, where a pointer click aimed by the window's coordinates misses.
   */
  static void press(Browser b, String css) {
    b.find(css);
    b.driver().executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()",
        b.find(css));
  }

  static String field(String path) {
    return "#mp-form [data-field='" + path + "']";
  }

  static String error(String path) {
    return "#mp-form .sf-field[data-path='" + path + "'] .sf-error";
  }

  @Test
  void rejectedFixedApprovedOnlineAndFoundBySearch() throws Exception {
    merchant.open(server.baseUrl() + "/merchant");
    merchant.type("#ob-name", "Lanzhou Noodle Bar");
    merchant.type("#ob-city", "Lanzhou");
    merchant.type("#ob-phone", ShellPages.newPhone());
    merchant.type("#ob-password", "noodles-2026");
    merchant.type("#ob-holder", "Ma Lan");
    merchant.type("#ob-account", "6222021001014321");
    press(merchant, "#ob-submit");
    merchant.waitForText("#shop-name", "Lanzhou Noodle Bar");

    // the form is rendered from the template's schema
    press(merchant, "nav button[data-tab=miniapps]");
    press(merchant, "#mp-templates li[data-template=tpl-restaurant] button");
    merchant.type("#mp-description", "Hand-pulled beef noodles, book a table");
    merchant.type(field("name"), "BEST NOODLES!!! CHEAPEST");
    merchant.type(field("colour"), "red");
    merchant.type(field("opens"), "10:30");
    merchant.type(field("closes"), "21:00");
    press(merchant, "#mp-form .sf-field[data-path=tables] .sf-add");
    merchant.type(field("tables.0.label"), "Window");
    merchant.type(field("tables.0.seats"), "4");
    // the browser's own pattern hint is bypassed: the server's JsonSchemas message is shown
    press(merchant, "#mp-save");
    merchant.waitForText(error("colour"), "does not match the regex pattern");
    assertThat(merchant.all("#mp-list li")).isEmpty();
    merchant.type(field("colour"), "#b22222");
    press(merchant, "#mp-save");
    merchant.waitForText("#mp-status", "draft");
    String appId = merchant.find("#mp-list li[data-app]").getAttribute("data-app");
    press(merchant, "#mp-submit");
    merchant.waitForText("#mp-status", "in review");

    // the operator sees what the merchant typed and rejects it with a reason
    other.open(server.baseUrl() + "/ops");
    other.type("#token", Files.readString(server.server().operatorTokenFile()).trim());
    press(other, "#login");
    other.find("#cards .card");
    press(other, "nav button[data-tab=review]");
    String item = "#review li[data-app='" + appId + "']";
    other.waitForText(item + " .ext-changes tr[data-field=name]", "BEST NOODLES!!! CHEAPEST");
    other.type(item + " input[name=reason]", "no shouting or price claims in the name");
    press(other, item + " button[data-action=reject]");
    other.waitGone(item);

    // the merchant sees the reason, fixes the name, resubmits
    press(merchant, "nav button[data-tab=miniapps]");
    press(merchant, "#mp-list li[data-app='" + appId + "'] button");
    merchant.waitForText("#mp-status", "rejected");
    merchant.waitForText("#mp-reasons", "no shouting or price claims in the name");
    assertThat(merchant.find(field("name")).getAttribute("value"))
        .isEqualTo("BEST NOODLES!!! CHEAPEST");
    merchant.type(field("name"), "Lanzhou Noodle Bar");
    press(merchant, "#mp-save");
    merchant.waitForText("#mp-status", "Version 1.0.1: draft");
    press(merchant, "#mp-submit");
    merchant.waitForText("#mp-status", "in review");

    // the operator sees only the name changed, and approves: it goes online
    press(other, "nav button[data-tab=review]");
    other.waitForText(item + " .ext-changes tr[data-field=name]", "Lanzhou Noodle Bar");
    assertThat(other.all(item + " .ext-changes tr[data-field]")).hasSize(1);
    press(other, item + " button[data-action=approve]");
    other.waitGone(item);
    press(merchant, "nav button[data-tab=miniapps]");
    merchant.waitForText("#mp-list li[data-app='" + appId + "']", "online");

    // a shell user finds it by search
    ShellPages shell = new ShellPages(other, server.baseUrl());
    shell.signUp();
    other.type(".search-input", "Lanzhou noodle");
    other.find(".search-input").sendKeys(org.openqa.selenium.Keys.ENTER);
    // the shell's Home lists search results as rows (HomeBrowserTest)
    other.waitForText(".search-results .result-row[data-app-id='" + appId + "']",
        "Lanzhou Noodle Bar");
  }
}
