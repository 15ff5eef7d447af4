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
 * @param publicMode listen on every network interface instead of loopback only
 */
public record ServerConfig(int port, Path dataDirectory, Optional<String> databaseUrl,
    boolean publicMode) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
  /** Environment variable naming an external PostgreSQL by JDBC URL. */
  public static final String ENV_DATABASE_URL = "HUTONG_DB_URL";
  /** Environment variable that, when {@code true}, makes the server listen on all interfaces. */
  public static final String ENV_PUBLIC = "HUTONG_PUBLIC";

  public ServerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
    }
    if (dataDirectory == null) {
      throw new IllegalArgumentException("a data directory is required");
    }
    databaseUrl = databaseUrl.map(String::trim).filter(url -> !url.isEmpty());
    databaseUrl.ifPresent(ServerConfig::requirePostgresUrl);
  }

  /** The defaults: port 8080, ./data, embedded PostgreSQL, loopback only. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_PORT, DEFAULT_DATA_DIRECTORY, Optional.empty(), false);
  }

  /** The defaults overridden by {@code HUTONG_DB_URL} and {@code HUTONG_PUBLIC}. */
  public static ServerConfig fromEnvironment(Map<String, String> environment) {
    ServerConfig defaults = defaults();
    return new ServerConfig(defaults.port(), defaults.dataDirectory(),
        Optional.ofNullable(environment.get(ENV_DATABASE_URL)),
        parsePublic(environment.getOrDefault(ENV_PUBLIC, "")));
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(newPort, dataDirectory, databaseUrl, publicMode);
  }

  public ServerConfig withDataDirectory(Path newDataDirectory) {
    return new ServerConfig(port, newDataDirectory, databaseUrl, publicMode);
  }

  public ServerConfig withDatabaseUrl(String newDatabaseUrl) {
    return new ServerConfig(port, dataDirectory, Optional.ofNullable(newDatabaseUrl), publicMode);
  }

  public ServerConfig withPublicMode(boolean newPublicMode) {
    return new ServerConfig(port, dataDirectory, databaseUrl, newPublicMode);
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

  private static boolean parsePublic(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "", "false" -> false;
      case "true" -> true;
      default -> throw new IllegalArgumentException(
          ENV_PUBLIC + " must be true or false, got '" + value + "'");
    };
  }
}
