package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.hutong.pay.AlipayTimes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A street merchant's first day, in two headless Chromiums against a real server: the merchant
 * onboards and downloads the collect-money QR; a user (the shell) scans it and pays 12.50; the
 * merchant sees the payment live and refunds 2.50; the statement lists both; a payout moves the
 * net amount; then an operator freezes the merchant in the console and the next payment is
 * refused. Prints the steps, fields and time to the first payment (docs/merchants.md).
 */
@Tag("db")
@Tag("browser")
class MerchantBrowserTest {
  static ServerFixture server;
  static Browser merchant;
  static Browser user;

  @BeforeAll
  static void start() {
    server = ServerFixture.start("merchantbrowser");
    merchant = Browser.start();
    user = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (merchant != null) {
      merchant.close();
    }
    if (user != null) {
      user.close();
    }
    server.close();
  }

  /** What a browser fetches from the portal: "status|content-type|base64-body". */
  static String fetch(Browser b, String path) {
    return (String) b.async("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(async r => { const buf = new Uint8Array(await r.arrayBuffer());"
        + " let s = ''; for (const x of buf) s += String.fromCharCode(x);"
        + " done(r.status + '|' + r.headers.get('content-type') + '|' + btoa(s)); })", path);
  }

  static String decodeQr(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
  }

  @Test
  void aNewMerchantOnboardsIsPaidSeesItLiveRefundsAndPaysOut() throws Exception {
    long started = System.nanoTime();
    int steps = 0;
    int fields = 0;
    // 1. open the portal
    merchant.open(server.baseUrl() + "/merchant");
    steps++;
    // 2. fill the one onboarding form (category keeps its default) and submit it
    String phone = ShellPages.newPhone();
    String[][] form = {{"#ob-name", "Lao Wang Jianbing"}, {"#ob-city", "Tianjin"},
        {"#ob-phone", phone}, {"#ob-password", "jianbing-88"}, {"#ob-holder", "Wang Jun"},
        {"#ob-account", "6222 0210 0101 4321"}};
    for (String[] f : form) {
      merchant.type(f[0], f[1]);
      fields++;
    }
    merchant.click("#ob-submit");
    steps++;
    merchant.waitForText("#shop-name", "Lao Wang Jianbing");
    assertThat(merchant.text("#limits")).contains("Micro-merchant");
    // 3. download the print-ready QR (what gets printed and stuck on the counter)
    String[] png = fetch(merchant, "/merchant/api/collect-code.png").split("\\|", 3);
    assertThat(png[0]).isEqualTo("200");
    assertThat(png[1]).isEqualTo("image/png");
    assertThat(merchant.find("#dl-png").getAttribute("href")).endsWith("/merchant/api/collect-code.png");
    String code = decodeQr(Base64.getDecoder().decode(png[2]));
    assertThat(code).startsWith(server.baseUrl() + "/c/");
    steps++;

    // the customer: an existing shell user scans the printed code and pays 12.50
    ShellPages shell = new ShellPages(user, server.baseUrl());
    shell.signUp();
    shell.topUp("50.00", "50.00");
    long customerStart = System.nanoTime();
    shell.scanByPasting(code);
    user.type("[data-testid=cashier] input[name=amount]", "12.50");
    user.click("[data-testid=cashier] .collect-form button[type=submit]");
    shell.enterPin(ShellPages.PIN);
    user.waitForText("[data-testid=detail-amount]", "12.50");
    double customerSeconds = (System.nanoTime() - customerStart) / 1e9;

    // the merchant sees it live (polling every 2 s), with the banner (and the till sound)
    merchant.waitForText("#flash", "Received ¥12.50");
    merchant.waitForText("#live", "12.50");
    double toFirstPayment = (System.nanoTime() - started) / 1e9;

    // refund 2.50 from the payments list
    merchant.click("nav button[data-tab=trades]");
    merchant.click("#trades tbody tr[data-trade]");
    merchant.type("#r-amount", "2.50");
    merchant.type("#r-reason", "no egg");
    merchant.click("#r-submit");
    merchant.waitForText("#d-refunds", "refund ¥2.50 SUCCESS");

    // the statement lists both
    String today = LocalDate.now(AlipayTimes.ZONE).toString();
    String[] csv = fetch(merchant, "/merchant/api/statements/" + today + ".csv").split("\\|", 3);
    String statement = new String(Base64.getDecoder().decode(csv[2]));
    assertThat(statement).contains(",12.50,0.08,12.42,").contains(",-2.50,-0.02,-2.48,");

    // a payout moves the net amount to the (simulated) bank
    merchant.click("nav button[data-tab=money]");
    merchant.waitForText("#money", "¥9.94");
    merchant.type("#p-amount", "9.94");
    merchant.click("#p-submit");
    merchant.waitForText("#payouts", "¥9.94 SUCCESS (simulated bank)");
    merchant.waitForText("#m-balance", "¥0.00");

    // an operator freezes the merchant; the next payment is refused
    Browser ops = merchant;
    ops.open(server.baseUrl() + "/ops");
    ops.type("#token", Files.readString(server.server().operatorTokenFile()).trim());
    ops.click("#login");
    ops.find("#cards .card");
    // the dashboard's charts are drawn from the server's last hour: this test's two trades
    ops.find("#chart-payments[data-total]");
    assertThat(Long.parseLong(ops.find("#chart-payments").getDomAttribute("data-total")))
        .isGreaterThanOrEqualTo(1);
    assertThat(Double.parseDouble(ops.find("#chart-volume").getDomAttribute("data-total")))
        .isGreaterThanOrEqualTo(12.50);
    assertThat(ops.find("#chart-success").getDomAttribute("data-points")).isNotEqualTo("0");
    ops.waitForText("#top", "Jianbing");
    assertThat(ops.all("#top .top-bar")).isNotEmpty();
    ops.click("nav button[data-tab=merchants]");
    ops.type("#m-q", "jianbing");
    ops.click("#search-form button");
    ops.click("#merchants tbody tr[data-merchant]");
    ops.type("#m-reason", "customer complaints");
    ops.click("#m-freeze");
    ops.waitForText("#m-name", "FROZEN");
    ops.waitForText("#m-audit", "merchant.freeze: customer complaints");
    shell.scanByPasting(code);
    user.type("[data-testid=cashier] input[name=amount]", "3.00");
    user.click("[data-testid=cashier] .collect-form button[type=submit]");
    shell.enterPin(ShellPages.PIN);
    user.waitForText("[data-testid=cashier-error]", "frozen");

    System.out.printf("merchant onboarding: %d steps, %d typed fields (+1 default) to a printable"
        + " QR; first payment seen live %.1f s after opening the portal (customer's part %.1f s,"
        + " scripted)%n", steps, fields, toFirstPayment, customerSeconds);
  }
}
