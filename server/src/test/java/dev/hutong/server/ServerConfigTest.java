package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaultsAreLoopbackPort8080DataDirectoryAndEmbeddedDatabase() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of());
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.publicMode()).isFalse();
    assertThat(config.bindHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void environmentNamesTheDatabaseAndPublicMode() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of(
        "HUTONG_DB_URL", "jdbc:postgresql://db:5432/hutong", "HUTONG_PUBLIC", "TRUE"));
    assertThat(config.databaseUrl()).contains("jdbc:postgresql://db:5432/hutong");
    assertThat(config.publicMode()).isTrue();
    assertThat(config.bindHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void blankDatabaseUrlMeansEmbedded() {
    assertThat(ServerConfig.fromEnvironment(Map.of("HUTONG_DB_URL", "  ")).databaseUrl()).isEmpty();
  }

  @Test
  void publicModeMustBeTrueOrFalse() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("HUTONG_PUBLIC", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HUTONG_PUBLIC must be true or false, got 'yes'");
  }

  @Test
  void portOutsideTheTcpRangeIsRefused() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(65_536))
        .hasMessage("the port must be between 0 and 65535, got 65536");
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(-1))
        .hasMessage("the port must be between 0 and 65535, got -1");
  }

  @Test
  void databaseUrlMustBePostgresAndTheErrorHidesThePassword() {
    assertThatThrownBy(() -> ServerConfig.defaults().withDatabaseUrl("jdbc:mysql://h/db?password=s3cret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the database URL must start with jdbc:postgresql:")
        .hasMessageEndingWith("got jdbc:mysql://h/db?password=****")
        .message().doesNotContain("s3cret");
  }

  @Test
  void passwordsAreMaskedInUrlsShownToPeople() {
    assertThat(JdbcUrls.maskPassword("jdbc:postgresql://h:5432/d?user=u&password=p%40ss&ssl=true"))
        .isEqualTo("jdbc:postgresql://h:5432/d?user=u&password=****&ssl=true");
    assertThat(JdbcUrls.maskPassword("jdbc:postgresql://u:secret@h/d"))
        .isEqualTo("jdbc:postgresql://u:****@h/d");
    assertThat(JdbcUrls.maskPassword("jdbc:postgresql://h/d")).isEqualTo("jdbc:postgresql://h/d");
  }

  @Test
  void withersChangeOneValue() {
    ServerConfig config = ServerConfig.defaults().withPort(0).withDataDirectory(Path.of("/x"))
        .withDatabaseUrl("jdbc:postgresql://h/d").withPublicMode(true);
    assertThat(config).isEqualTo(new ServerConfig(0, Path.of("/x"),
        Optional.of("jdbc:postgresql://h/d"), true));
  }

  @Test
  void publicUrlAndNotifyScheduleScaleComeFromTheEnvironment() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of(
        "HUTONG_PUBLIC_URL", "https://pay.example.com/", "HUTONG_NOTIFY_SCHEDULE_SCALE", "0.001"));
    assertThat(config.publicUrl()).contains("https://pay.example.com");
    assertThat(config.publicBaseUrl(8080)).isEqualTo("https://pay.example.com");
    assertThat(config.notifyScheduleScale()).isEqualTo(0.001);
    assertThat(ServerConfig.defaults().publicBaseUrl(8080)).isEqualTo("http://127.0.0.1:8080");
    assertThat(ServerConfig.defaults().notifyScheduleScale()).isEqualTo(1.0);
  }

  @Test
  void appsDomainDefaultsToLocalhostAndIsCheckedAsADnsName() {
    assertThat(ServerConfig.defaults().appsDomain()).isEqualTo("apps.localhost");
    assertThat(ServerConfig.fromEnvironment(Map.of("HUTONG_APPS_DOMAIN", "Apps.Example.COM"))
        .appsDomain()).isEqualTo("apps.example.com");
    assertThat(ServerConfig.defaults().withPort(9).withAppsDomain("a.b").withPort(10)
        .appsDomain()).isEqualTo("a.b");
    assertThatThrownBy(() -> ServerConfig.defaults().withAppsDomain("*.example.com"))
        .hasMessageContaining("must be a DNS name");
    assertThatThrownBy(() -> ServerConfig.defaults().withAppsDomain("example"))
        .hasMessageContaining("must be a DNS name");
  }

  @Test
  void badPublicUrlsAndScalesAreRefused() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPublicUrl("ftp://x"))
        .hasMessageContaining("must be an http:// or https:// URL");
    assertThatThrownBy(() -> ServerConfig.defaults().withPublicUrl("https://x/?a=b"))
        .hasMessageContaining("without query");
    assertThatThrownBy(() -> ServerConfig.defaults().withNotifyScheduleScale(0))
        .hasMessageContaining("between 0.0001 and 1");
    assertThatThrownBy(() -> ServerConfig.defaults().withNotifyScheduleScale(2))
        .hasMessageContaining("between 0.0001 and 1");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(
        "HUTONG_NOTIFY_SCHEDULE_SCALE", "fast"))).hasMessageContaining(
        "HUTONG_NOTIFY_SCHEDULE_SCALE must be a number");
  }

  @Test
  void aScaledScheduleShortensTheNotificationLease() {
    assertThat(HutongServer.notifySettings(1.0).leaseSeconds()).isEqualTo(60);
    assertThat(HutongServer.notifySettings(0.001).leaseSeconds()).isEqualTo(10);
    assertThat(HutongServer.notifySettings(0.001).scheduleScale()).isEqualTo(0.001);
  }
}
