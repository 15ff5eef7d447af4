package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gray selection, launch links, QR codes, the content store. */
class SmallPartsTest {
  @Test
  void grayBucketsAreStableAndProportional() {
    Random random = new Random(7);
    int users = 10_000;
    int in30 = 0;
    for (int i = 0; i < users; i++) {
      UUID u = new UUID(random.nextLong(), random.nextLong());
      boolean at30 = VersionResolver.inGray("2021000000000001", u, 30);
      assertThat(VersionResolver.inGray("2021000000000001", u, 30)).isEqualTo(at30);
      if (VersionResolver.inGray("2021000000000001", u, 10)) {
        assertThat(at30).as("widening keeps the users already in").isTrue();
      }
      if (at30) {
        in30++;
      }
    }
    // 30% of 10,000 is 3,000 with a standard deviation of about 46; allow four of them.
    assertThat(in30).isBetween(2816, 3184);
  }

  @Test
  void grayPicksDifferentUsersForDifferentApps() {
    Random random = new Random(8);
    int both = 0;
    for (int i = 0; i < 10_000; i++) {
      UUID u = new UUID(random.nextLong(), random.nextLong());
      if (VersionResolver.inGray("app-a", u, 50) && VersionResolver.inGray("app-b", u, 50)) {
        both++;
      }
    }
    assertThat(both).isBetween(2300, 2700);
  }

  @Test
  void launchLinks() {
    LaunchLinks relative = new LaunchLinks("");
    assertThat(relative.link("2021000000000001", null, null))
        .isEqualTo("/launch/2021000000000001");
    assertThat(relative.link("2021000000000001", "pages/seat/seat", "film=42&hall=3 A"))
        .isEqualTo("/launch/2021000000000001?page=pages/seat/seat&query=film%3D42%26hall%3D3%20A");
    assertThat(new LaunchLinks("http://127.0.0.1:8080/").link("abc", null, "x=1"))
        .isEqualTo("http://127.0.0.1:8080/launch/abc?query=x%3D1");
    assertThatThrownBy(() -> relative.link("abc", "../etc", null))
        .isInstanceOf(MiniappException.class);
    assertThatThrownBy(() -> relative.link("ABC", null, null))
        .isInstanceOf(MiniappException.class);
  }

  @Test
  void qrCodesDecodeBackToTheLink() throws Exception {
    String link = "http://127.0.0.1:8080/launch/2021000000000001?page=pages/index/index";
    byte[] png = QrCodes.png(link, 300);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isBetween(200, 300).isEqualTo(image.getHeight());
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0,
        image.getWidth());
    String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
    assertThat(decoded).isEqualTo(link);
    String svg = QrCodes.svg(link);
    int modules = QrCodes.matrix(link).getWidth();
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + modules + " " + modules + "\"").contains("<path").endsWith("</svg>");
    assertThat(QrCodes.terminal(link).lines().count()).isEqualTo((modules + 1) / 2);
    assertThatThrownBy(() -> QrCodes.png(link, 10)).isInstanceOf(MiniappException.class);
  }

  @Test
  void contentStoreIsAddressedByHash(@TempDir Path root) throws Exception {
    ContentStore store = new ContentStore(root);
    String a = store.put("hello".getBytes());
    assertThat(a).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(store.put("hello".getBytes())).isEqualTo(a);
    assertThat(store.objectCount()).isEqualTo(1);
    assertThat(Files.readString(root.resolve("objects/2c/f24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1"
        + "fa7425e73043362938b9824"))).isEqualTo("hello");
    try (var tmp = Files.list(root.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThatThrownBy(() -> store.put(a, "other".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.path("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      hashes.add(store.put(("file " + (i % 5)).getBytes()));
    }
    assertThat(hashes).hasSize(5);
    assertThat(store.objectCount()).isEqualTo(6);
  }
}
