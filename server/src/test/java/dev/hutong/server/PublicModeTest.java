package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.db.TestDatabases;
import dev.hutong.openapi.gateway.KeyPairs;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --public: internal notify URLs are refused when an app names one (SSRF). */
@Tag("db")
class PublicModeTest {
  @Test
  void appsCannotPointNotificationsIntoThePrivateNetwork(@TempDir Path data) throws Exception {
    try (HutongServer server = HutongServer.start(new ServerConfig(0, data,
        Optional.of(TestDatabases.createDatabase("public_mode")), true))) {
      assertThat(server.banner().getFirst()).contains("every network interface");
      AdminApi admin = new AdminApi(server.port(), data);
      String merchant = admin.merchant("Public Shop", "0");
      String key = KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048().getPublic());
      for (String url : new String[] {"http://127.0.0.1:9000/notify", "http://localhost/n",
          "http://10.0.0.8/n", "http://169.254.169.254/latest/meta-data/", "http://[::1]/n"}) {
        assertThatThrownBy(() -> admin.app(merchant, key, url)).as(url)
            .hasMessageContaining("admin 400").hasMessageContaining("NOTIFY_URL_NOT_PUBLIC");
      }
      assertThat(admin.app(merchant, key, null).appId()).isNotBlank();
    }
  }
}
