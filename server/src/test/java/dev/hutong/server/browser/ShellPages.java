package dev.hutong.server.browser;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The shell driven like a person would: sign up, top up, open tabs, pay in the cashier sheet.
 * For the shell's tests and for the tests of features built on it (runtime, booking, portal).
 */
public final class ShellPages {
  /** The PIN every user made here has. */
  public static final String PIN = "123456";
  private static final AtomicInteger PHONES = new AtomicInteger(
      (int) (System.nanoTime() % 1_000_000));

  private final Browser browser;
  private final String baseUrl;

  public ShellPages(Browser browser, String baseUrl) {
    this.browser = browser;
    this.baseUrl = baseUrl;
  }

  /** A fresh, valid Chinese mobile number. */
  public static String newPhone() {
    return "136" + String.format("%08d", PHONES.incrementAndGet() % 100_000_000);
  }

  /** Signs up a new user through the form (logged out first); returns the phone. */
  public String signUp() {
    browser.forgetSession();
    browser.open(baseUrl + "/#/signup");
    String phone = newPhone();
    browser.type("input[name=phone]", phone);
    browser.type("input[name=password]", "secret-pw-1");
    browser.type("input[name=pin]", PIN);
    browser.type("input[name=pin2]", PIN);
    browser.click("form.account-form button[type=submit]");
    browser.find(".tabbar");
    return phone;
  }

  /** Logs in through the form; does not wait for success. */
  public void submitLogin(String phone, String password) {
    browser.type("input[name=phone]", phone);
    browser.type("input[name=password]", password);
    browser.click("form.account-form button[type=submit]");
  }

  public void tab(String name) {
    browser.click(".tab[data-tab=" + name + "]");
    browser.find("#app[data-screen=" + name + "]");
  }

  /** Tops up through the wallet's (simulated bank) sheet and waits for the new balance. */
  public void topUp(String amount, String expectedBalance) {
    tab("wallet");
    browser.click("[data-testid=open-top-up]");
    browser.type("[data-testid=top-up] input[name=amount]", amount);
    browser.click("[data-testid=top-up] button[type=submit]");
    browser.waitGone("[data-testid=top-up]");
    browser.waitForText("[data-testid=balance]", expectedBalance);
  }

  /**
   * On Home, searches for {@code query} with the search box and taps {@code appId}'s result, as a
   * person finding an app does (scene "search"); returns the text of the result row tapped. Fails
   * if discovery does not list the app for that query.
   */
  public String searchAndOpen(String query, String appId) {
    tab("home");
    browser.type(".search-box .search-input", query);
    browser.find(".search-box .search-input").sendKeys(Keys.ENTER);
    String row = ".search-results .result-row[data-app-id='" + appId + "']";
    String text = browser.text(row);
    browser.click(row);
    browser.find("iframe.hm-frame");
    return text;
  }

  /** Types a PIN on the cashier sheet's keypad. */
  public void enterPin(String pin) {
    browser.find("[data-testid=cashier] .keypad");
    for (char c : pin.toCharArray()) {
      browser.click("[data-testid=cashier] .key[data-key='" + c + "']");
    }
  }

  /** Pastes a code on the Scan tab and submits it. */
  public void scanByPasting(String code) {
    tab("scan");
    browser.type("textarea[name=code]", code);
    browser.click("[data-testid=scan-submit]");
  }

  /** Picks a picture on the Scan tab (the file input a person would tap). */
  public void scanByPicture(Path picture) {
    tab("scan");
    browser.driver().findElement(By.cssSelector("input.scan-file"))
        .sendKeys(picture.toAbsolutePath().toString());
  }

  /** A PNG photo-like picture of a QR code of {@code text}: 8 px a module, white margin. */
  public static byte[] qrPng(String text) {
    try {
      BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0);
      int scale = 8;
      BufferedImage image = new BufferedImage(m.getWidth() * scale, m.getHeight() * scale,
          BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, m.get(x / scale, y / scale) ? 0x202020 : 0xF8F8F8);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (WriterException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #qrPng} written to a temporary file. */
  public static Path qrPngFile(String text) {
    try {
      Path file = Files.createTempFile("hutong-qr-", ".png");
      file.toFile().deleteOnExit();
      return Files.write(file, qrPng(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String balance() {
    tab("wallet");
    browser.waitForText("[data-testid=balance]", ".");
    return browser.text("[data-testid=balance]");
  }
}
