package dev.hutong.server;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator chooses when starting Hutong. Every value is checked here, once, so the rest
 * of the server can trust it.
 *
 * @param port the HTTP port; 0 lets the operating system pick a free one (tests)
 * @param dataDirectory where Hutong keeps its files, the embedded PostgreSQL among them
 * @param databaseUrl an external PostgreSQL ({@code jdbc:postgresql:...}); empty means embedded
 * @param publicMode the server faces the internet: it listens on every network interface instead
 *     of loopback only, and refuses to send notifications to loopback, private or link-local
 *     addresses (protection against server-side request forgery)
 * @param publicUrl where users reach the server (QR codes point there); empty means
 *     {@code http://127.0.0.1:<port>}
 * @param notifyScheduleScale multiplies the notification retry schedule (4m, 10m, 10m, 1h, 2h, 6h,
 *     15h); 1 in production, smaller in tests (0.001 turns 4m into 240 ms)
 * @param appsDomain the domain under which each mini-program gets its own origin,
 *     {@code <appId>.<appsDomain>}; {@code apps.localhost} by default (browsers resolve
 *     {@code *.localhost} to loopback), a wildcard DNS name such as {@code apps.example.com} in
 *     production
 */
public record ServerConfig(int port, Path dataDirectory, Optional<String> databaseUrl,
    boolean publicMode, Optional<String> publicUrl, double notifyScheduleScale,
    String appsDomain) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
  /** Environment variable naming an external PostgreSQL by JDBC URL. */
  public static final String ENV_DATABASE_URL = "HUTONG_DB_URL";
  /** Environment variable that, when {@code true}, makes the server listen on all interfaces. */
  public static final String ENV_PUBLIC = "HUTONG_PUBLIC";
  /** Environment variable: where users reach the server, e.g. https://pay.example.com. */
  public static final String ENV_PUBLIC_URL = "HUTONG_PUBLIC_URL";
  /** Environment variable scaling the notification retry schedule down (tests, demos). */
  public static final String ENV_NOTIFY_SCHEDULE_SCALE = "HUTONG_NOTIFY_SCHEDULE_SCALE";
  /** The smallest schedule scale: 4 minutes become 24 ms. */
  public static final double NOTIFY_SCHEDULE_SCALE_MIN = 0.0001;
  /** Where mini-programs are served by default: {@code http://<appId>.apps.localhost:<port>}. */
  public static final String DEFAULT_APPS_DOMAIN = "apps.localhost";
  /** Environment variable: the apps domain, e.g. apps.example.com. */
  public static final String ENV_APPS_DOMAIN = "HUTONG_APPS_DOMAIN";

  public ServerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
    }
    if (dataDirectory == null) {
      throw new IllegalArgumentException("a data directory is required");
    }
    databaseUrl = databaseUrl.map(String::trim).filter(url -> !url.isEmpty());
    databaseUrl.ifPresent(ServerConfig::requirePostgresUrl);
    publicUrl = publicUrl.map(String::trim).filter(url -> !url.isEmpty())
        .map(ServerConfig::requireHttpUrl);
    if (!(notifyScheduleScale >= NOTIFY_SCHEDULE_SCALE_MIN && notifyScheduleScale <= 1)) {
      throw new IllegalArgumentException("the notification schedule scale must be between 0.0001"
          + " and 1 (1 is Alipay's schedule), got "
          + notifyScheduleScale);
    }
    appsDomain = appsDomain == null || appsDomain.isBlank() ? DEFAULT_APPS_DOMAIN
        : dev.hutong.server.runtime.AppHosts.requireDomain(appsDomain);
  }

  /** Everything but the apps domain, which defaults. */
  public ServerConfig(int port, Path dataDirectory, Optional<String> databaseUrl,
      boolean publicMode, Optional<String> publicUrl, double notifyScheduleScale) {
    this(port, dataDirectory, databaseUrl, publicMode, publicUrl, notifyScheduleScale,
        DEFAULT_APPS_DOMAIN);
  }

  /** Port, data directory, database and public mode; the rest defaults. */
  public ServerConfig(int port, Path dataDirectory, Optional<String> databaseUrl,
      boolean publicMode) {
    this(port, dataDirectory, databaseUrl, publicMode, Optional.empty(), 1.0);
  }

  /** The defaults: port 8080, ./data, embedded PostgreSQL, loopback only. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_PORT, DEFAULT_DATA_DIRECTORY, Optional.empty(), false);
  }

  /**
   * The defaults overridden by {@code HUTONG_DB_URL}, {@code HUTONG_PUBLIC},
   * {@code HUTONG_PUBLIC_URL} and {@code HUTONG_NOTIFY_SCHEDULE_SCALE}.
   */
  public static ServerConfig fromEnvironment(Map<String, String> environment) {
    ServerConfig defaults = defaults();
    return new ServerConfig(defaults.port(), defaults.dataDirectory(),
        Optional.ofNullable(environment.get(ENV_DATABASE_URL)),
        parsePublic(environment.getOrDefault(ENV_PUBLIC, "")),
        Optional.ofNullable(environment.get(ENV_PUBLIC_URL)),
        parseScale(environment.getOrDefault(ENV_NOTIFY_SCHEDULE_SCALE, "")),
        environment.get(ENV_APPS_DOMAIN));
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(newPort, dataDirectory, databaseUrl, publicMode, publicUrl,
        notifyScheduleScale, appsDomain);
  }

  public ServerConfig withDataDirectory(Path newDataDirectory) {
    return new ServerConfig(port, newDataDirectory, databaseUrl, publicMode, publicUrl,
        notifyScheduleScale, appsDomain);
  }

  public ServerConfig withDatabaseUrl(String newDatabaseUrl) {
    return new ServerConfig(port, dataDirectory, Optional.ofNullable(newDatabaseUrl), publicMode,
        publicUrl, notifyScheduleScale, appsDomain);
  }

  public ServerConfig withPublicMode(boolean newPublicMode) {
    return new ServerConfig(port, dataDirectory, databaseUrl, newPublicMode, publicUrl,
        notifyScheduleScale, appsDomain);
  }

  public ServerConfig withPublicUrl(String newPublicUrl) {
    return new ServerConfig(port, dataDirectory, databaseUrl, publicMode,
        Optional.ofNullable(newPublicUrl), notifyScheduleScale, appsDomain);
  }

  public ServerConfig withNotifyScheduleScale(double newScale) {
    return new ServerConfig(port, dataDirectory, databaseUrl, publicMode, publicUrl, newScale,
        appsDomain);
  }

  public ServerConfig withAppsDomain(String newAppsDomain) {
    return new ServerConfig(port, dataDirectory, databaseUrl, publicMode, publicUrl,
        notifyScheduleScale, newAppsDomain);
  }

  /** Where users reach the server: the public URL, else loopback on the given (real) port. */
  public String publicBaseUrl(int actualPort) {
    return publicUrl.orElse("http://127.0.0.1:" + actualPort);
  }

  /** The address the web server binds: loopback unless the operator asked for public mode. */
  public String bindHost() {
    return publicMode ? "0.0.0.0" : "127.0.0.1";
  }

  private static void requirePostgresUrl(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the database URL must start with jdbc:postgresql: "
          + "(for example jdbc:postgresql://db.example:5432/hutong?user=hutong&password=...), got "
          + JdbcUrls.maskPassword(url));
    }
  }

  private static String requireHttpUrl(String url) {
    if (!url.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
      throw new IllegalArgumentException("the public URL must be an http:// or https:// URL "
          + "without query, e.g. https://pay.example.com, got '" + url + "'");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static double parseScale(String value) {
    if (value.isBlank()) {
      return 1.0;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ENV_NOTIFY_SCHEDULE_SCALE
          + " must be a number between 0.0001 and 1, got '" + value
          + "'", e);
    }
  }

  private static boolean parsePublic(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "", "false" -> false;
      case "true" -> true;
      default -> throw new IllegalArgumentException(
          ENV_PUBLIC + " must be true or false, got '" + value + "'");
    };
  }
}
