package dev.hutong.server.runtime;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mini-programs' origins: app {@code X} lives at {@code <scheme>://X.<appsDomain>[:port]},
 * one origin per app, so the browser's same-origin policy keeps apps apart from each other and
 * from the shell. By default the apps domain is {@code apps.localhost} (browsers resolve every
 * {@code *.localhost} name to loopback); in production a wildcard DNS name such as
 * {@code apps.example.com}.
 *
 * @param scheme {@code http} or {@code https}, the shell's
 * @param appsDomain lower-case domain under which every app gets a label
 * @param port the port in app origins, or -1 for the scheme's default
 * @param shellOrigins the origins the shell is served from (the apps' {@code frame-ancestors},
 *     and the only origins the bridge script answers)
 */
public record AppHosts(String scheme, String appsDomain, int port, List<String> shellOrigins) {
  /** A DNS label: what an app id must be to be a host name. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DOMAIN = Pattern.compile(
      "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  public AppHosts {
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the scheme must be http or https, got " + scheme);
    }
    requireDomain(appsDomain);
    shellOrigins = List.copyOf(shellOrigins);
  }

  /** Checks an apps domain as an operator types it; returns it in lower case. */
  public static String requireDomain(String domain) {
    String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
    if (d.length() > 200 || !DOMAIN.matcher(d).matches() || !d.contains(".") && !d.equals(
        "localhost")) {
      throw new IllegalArgumentException("the apps domain must be a DNS name such as"
          + " apps.example.com (each app is served from <appId>.<domain>), got '" + domain + "'");
    }
    return d;
  }

  /**
   * Derives the hosts from where users reach the shell: same scheme, the shell's port (when the
   * URL names one), and both the public URL's origin and, on loopback, the localhost spelling.
   */
  public static AppHosts forShell(String shellBaseUrl, String appsDomain) {
    URI uri = URI.create(shellBaseUrl);
    String origin = uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    List<String> origins = uri.getHost().equals("127.0.0.1")
        ? List.of(origin, uri.getScheme() + "://localhost" + (uri.getPort() == -1 ? ""
            : ":" + uri.getPort()))
        : List.of(origin);
    return new AppHosts(uri.getScheme(), requireDomain(appsDomain), uri.getPort(), origins);
  }

  /** The origin of an app, e.g. {@code http://2024000000000001.apps.localhost:8080}. */
  public String originOf(String appId) {
    return scheme + "://" + appId + "." + appsDomain + (port == -1 ? "" : ":" + port);
  }

  /** The shell's CSP {@code frame-src}: every app origin, e.g. {@code http://*.apps.localhost:8080}. */
  public String frameSource() {
    return scheme + "://*." + appsDomain + (port == -1 ? "" : ":" + port);
  }

  /** The app a request's Host header names; empty for the shell's own hosts and anything else. */
  public Optional<String> appIdOf(String hostHeader) {
    if (hostHeader == null || hostHeader.length() > 300) {
      return Optional.empty();
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith("]")) {
      host = host.substring(0, colon);
    }
    String suffix = "." + appsDomain;
    if (!host.endsWith(suffix)) {
      return Optional.empty();
    }
    String label = host.substring(0, host.length() - suffix.length());
    return LABEL.matcher(label).matches() ? Optional.of(label) : Optional.empty();
  }
}
